using Actors.Configuration;
using Akka.Configuration;

namespace Actors.Security;

/// <summary>Where a node's TLS certificate comes from.</summary>
public enum CredentialSource
{
    /// <summary>Made in memory when the pool starts, pinned, and handed to its worker processes; never on disk.</summary>
    Ephemeral,

    /// <summary>A certificate file issued by a certificate authority, whose certificate is the only root peers are checked against.</summary>
    Files,
}

/// <summary>
/// The <c>actors.security.tls</c> section: whether the wire runs TLS, and with which credentials
/// (defaults, each with a comment, in the library's <c>reference.conf</c>).
/// </summary>
public sealed record WireSecuritySettings
{
    /// <summary>The section's path.</summary>
    public const string Path = "actors.security.tls";

    /// <summary>Whether the wire runs TLS with mutual authentication (<c>enabled</c>).</summary>
    public required bool Enabled { get; init; }

    /// <summary>Where this node's certificate comes from (<c>credentials</c>).</summary>
    public required CredentialSource Credentials { get; init; }

    /// <summary>The key pair of an ephemeral certificate (<c>key-algorithm</c>).</summary>
    public required KeyAlgorithm KeyAlgorithm { get; init; }

    /// <summary>This node's PKCS#12 file, for <see cref="CredentialSource.Files"/> (<c>certificate.path</c>).</summary>
    public required string? CertificatePath { get; init; }

    /// <summary>Its password, if it has one (<c>certificate.password</c>).</summary>
    public required string? CertificatePassword { get; init; }

    /// <summary>The certificate of the authority that issued every node's certificate (<c>ca-path</c>).</summary>
    public required string? AuthorityPath { get; init; }

    /// <summary>When dialling, also require the peer's certificate to name the host dialled (<c>validate-hostname</c>).</summary>
    public required bool ValidateHostname { get; init; }

    /// <summary>Stay up when a connection this node dials fails its handshake (<c>on-outbound-handshake-failure = keep-running</c>).</summary>
    public required bool KeepRunningOnOutboundHandshakeFailure { get; init; }

    /// <summary>How long a worker process waits for its pool's credentials on standard input (<c>hand-off-timeout</c>).</summary>
    public required TimeSpan HandOffTimeout { get; init; }

    /// <summary>Reads <c>actors.security.tls</c> (from a whole configuration, or the section itself) and validates it.</summary>
    /// <exception cref="ConfigException">A value is of the wrong kind or out of range; the message names its key.</exception>
    public static WireSecuritySettings Create(Config config)
    {
        var read = SettingsReader.For(config, Path);
        var settings = new WireSecuritySettings
        {
            Enabled = read.Bool("enabled"),
            Credentials = Choose(read, "credentials", ("ephemeral", CredentialSource.Ephemeral), ("files", CredentialSource.Files)),
            KeyAlgorithm = Choose(read, "key-algorithm", ("ecdsa-p256", KeyAlgorithm.EcdsaP256), ("rsa-2048", KeyAlgorithm.Rsa2048)),
            CertificatePath = NonEmpty(read.String("certificate.path")),
            CertificatePassword = NonEmpty(read.String("certificate.password")),
            AuthorityPath = NonEmpty(read.String("ca-path")),
            ValidateHostname = read.Bool("validate-hostname"),
            KeepRunningOnOutboundHandshakeFailure = Choose(read, "on-outbound-handshake-failure", ("keep-running", true), ("shut-down", false)),
            HandOffTimeout = read.Duration("hand-off-timeout"),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Checks every value, naming the key of the first one out of range.</summary>
    /// <exception cref="ConfigException">A value is out of range, or a file it names does not exist.</exception>
    public void Validate()
    {
        SettingRules.Require(HandOffTimeout > TimeSpan.Zero, Key("hand-off-timeout"), HandOffTimeout, "must be positive");
        if (!Enabled || Credentials != CredentialSource.Files) return;
        SettingRules.Require(CertificatePath is not null, Key("certificate.path"), "\"\"", "credentials = files needs this node's PKCS#12 file (actors cert node writes NAME.pfx)");
        SettingRules.Require(AuthorityPath is not null, Key("ca-path"), "\"\"", "credentials = files needs the certificate authority's certificate (actors cert ca writes ca.crt)");
        SettingRules.Require(File.Exists(CertificatePath), Key("certificate.path"), CertificatePath, "no such file");
        SettingRules.Require(File.Exists(AuthorityPath), Key("ca-path"), AuthorityPath, "no such file");
    }

    private static string Key(string key) => $"{Path}.{key}";

    private static T Choose<T>(SettingsReader read, string key, params (string Name, T Value)[] choices)
    {
        var text = read.String(key);
        foreach (var (name, value) in choices)
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase)) return value;
        throw new ConfigException($"{Key(key)} = {text}: must be one of {string.Join(", ", choices.Select(c => c.Name))}");
    }

    private static string? NonEmpty(string text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
