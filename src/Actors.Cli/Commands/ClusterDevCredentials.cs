using Actors.Security;

namespace Actors.Cli.Commands;

/// <summary>
/// The development certificates of a cluster that <c>actors cluster up</c> runs: a certificate
/// authority made for this cluster alone, a certificate per node issued by it, and a HOCON file per
/// node that points <c>actors.security.tls</c> at them (after the user's own <c>--config</c>, so
/// its other settings reach every node too). All of it in a folder only its owner can read.
/// </summary>
internal sealed class ClusterDevCredentials
{
    private readonly string _folder;
    private readonly string _userConfig;

    private ClusterDevCredentials(string folder, string userConfig)
    {
        _folder = folder;
        _userConfig = userConfig;
    }

    /// <summary>Makes the authority in <paramref name="folder"/> (created private when absent).</summary>
    /// <param name="folder">Where every file goes.</param>
    /// <param name="userConfig">The user's <c>--config</c> file, copied into every node's file; null for none.</param>
    /// <param name="tls">False for a cluster without TLS: the files then carry the user's settings only.</param>
    public static ClusterDevCredentials Create(string folder, string? userConfig, bool tls)
    {
        CertificateFiles.CreatePrivateDirectory(folder);
        var credentials = new ClusterDevCredentials(folder, userConfig is null ? "" : File.ReadAllText(userConfig));
        if (!tls) return credentials;
        using var authority = CertificateFactory.CreateAuthority($"actors cluster up {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}", Validity);
        CertificateFiles.WriteIdentity(credentials.AuthorityIdentity, authority);
        CertificateFiles.WritePublic(credentials.AuthorityCertificate, authority);
        credentials.Tls = true;
        return credentials;
    }

    /// <summary>Whether the nodes run TLS with these certificates.</summary>
    public bool Tls { get; private set; }

    private string AuthorityIdentity => Path.Combine(_folder, CertCommand.AuthorityIdentityFile);

    private string AuthorityCertificate => Path.Combine(_folder, CertCommand.AuthorityCertificateFile);

    /// <summary>Issues <paramref name="name"/>'s certificate for <paramref name="hosts"/> and writes its HOCON file; returns that file's path.</summary>
    public string ConfigFor(string name, IReadOnlyCollection<string> hosts)
    {
        var config = Path.Combine(_folder, name + ".conf");
        var text = _userConfig;
        if (Tls)
        {
            var identity = Path.Combine(_folder, name + ".pfx");
            using (var authority = CertificateFiles.LoadIdentity(AuthorityIdentity, null, "cluster up's authority"))
            using (var node = CertificateFactory.Issue(authority, name, hosts, Validity))
                CertificateFiles.WriteIdentity(identity, node);
            text += $$"""

                # Written by actors cluster up: this node's certificate, issued by the cluster's development authority.
                actors.security.tls { enabled = on, credentials = files, certificate.path = {{Quoted(identity)}}, ca-path = {{Quoted(AuthorityCertificate)}} }

                """;
        }
        // Created private: the user's settings may hold a certificate password.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = CertificateFiles.PrivateFileMode;
        using (var writer = new StreamWriter(config, options)) writer.Write(text);
        return config;
    }

    /// <summary>A HOCON string holding <paramref name="path"/> exactly.</summary>
    private static string Quoted(string path) => "\"" + path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // A development cluster lives as long as one cluster up; a month is ample and keeps stray files harmless.
    private static readonly TimeSpan Validity = TimeSpan.FromDays(30);
}
