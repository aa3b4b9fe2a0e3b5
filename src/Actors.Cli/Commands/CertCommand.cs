using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Actors.Configuration;
using Actors.Security;

namespace Actors.Cli.Commands;

/// <summary>
/// <c>actors cert</c>: makes a development certificate authority and node certificates issued by
/// it, for TLS between nodes (<c>actors.security.tls.credentials = files</c>). Private keys are
/// written readable by their owner only; nothing needs an external tool.
/// </summary>
internal static partial class CertCommand
{
    public const string AuthorityIdentityFile = "ca.pfx";
    public const string AuthorityCertificateFile = "ca.crt";

    public static Command Create() => new("cert", "Make a development certificate authority and node certificates for TLS between nodes.")
    {
        CreateAuthorityCommand(),
        CreateNodeCommand(),
    };

    private static Command CreateAuthorityCommand()
    {
        var output = OutOption("The folder to write ca.crt (the certificate every node trusts) and ca.pfx (its private key) to.");
        var name = NameOption("The authority's common name.", "Actors development CA");
        var days = DaysOption(3650);
        var force = ForceOption();
        var command = new Command("ca", "Make a certificate authority: ca.crt for every node, ca.pfx (private) to issue node certificates.")
        {
            output, name, days, force,
        };
        command.Validators.Add(result =>
        {
            // Also asked while printing usage, when --out may be missing.
            if (result.GetValue(force) || result.GetValue(output) is not { } folder) return;
            RefuseExisting(result, folder, AuthorityIdentityFile, AuthorityCertificateFile);
        });
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(output)!.FullName;
            using var authority = CertificateFactory.CreateAuthority(parse.GetValue(name)!, TimeSpan.FromDays(parse.GetValue(days)));
            CertificateFiles.CreatePrivateDirectory(folder);
            CertificateFiles.WriteIdentity(Path.Combine(folder, AuthorityIdentityFile), authority);
            CertificateFiles.WritePublic(Path.Combine(folder, AuthorityCertificateFile), authority);
            Console.WriteLine($"wrote {Path.Combine(folder, AuthorityCertificateFile)} (give it to every node)");
            Console.WriteLine($"wrote {Path.Combine(folder, AuthorityIdentityFile)} (private: keep it where you issue certificates)");
            Console.WriteLine($"next: actors cert node --ca {folder} --name NAME --host HOST --out DIR");
            return CommandLine.Ok;
        });
        return command;
    }

    private static Command CreateNodeCommand()
    {
        var authorityFolder = new Option<DirectoryInfo>("--ca") { Description = "The folder `actors cert ca` wrote (it reads ca.pfx there).", Required = true };
        authorityFolder.Validators.Add(result =>
        {
            var folder = result.GetValueOrDefault<DirectoryInfo>();
            if (!File.Exists(Path.Combine(folder.FullName, AuthorityIdentityFile)))
                result.AddError($"--ca {folder.FullName}: no {AuthorityIdentityFile} there (make one with: actors cert ca --out {folder.FullName}).");
        });
        var name = NameOption("The node's name: its certificate's common name and file names (NAME.pfx, NAME.crt).", null);
        var hosts = new Option<string[]>("--host")
        {
            Description = "A host name or IP address the node is reached at (repeatable); checked by peers with validate-hostname = on.",
            DefaultValueFactory = _ => [],
            AllowMultipleArgumentsPerToken = false,
        };
        hosts.Validators.Add(result =>
        {
            foreach (var host in result.GetValueOrDefault<string[]>() ?? [])
                if (!IPAddress.TryParse(host, out _) && Uri.CheckHostName(host) != UriHostNameType.Dns)
                    result.AddError($"--host {host}: not a host name or IP address.");
        });
        var output = OutOption("The folder to write NAME.pfx (private), NAME.crt and a copy of ca.crt to.");
        var days = DaysOption(365);
        var key = new Option<string>("--key") { Description = "The node's key pair.", DefaultValueFactory = _ => "ecdsa-p256" };
        key.AcceptOnlyFromAmong("ecdsa-p256", "rsa-2048");
        var force = ForceOption();
        var command = new Command("node", "Issue a node certificate signed by the authority, for actors.security.tls.credentials = files.")
        {
            authorityFolder, name, hosts, output, days, key, force,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(force) || result.GetValue(output) is not { } folder) return;
            if (result.GetValue(name) is { } nodeName && ValidName(nodeName)) RefuseExisting(result, folder, nodeName + ".pfx", nodeName + ".crt");
            // A copy of another authority's certificate is not replaced silently.
            var copy = Path.Combine(folder.FullName, AuthorityCertificateFile);
            var original = result.GetValue(authorityFolder) is { } ca ? Path.Combine(ca.FullName, AuthorityCertificateFile) : null;
            if (File.Exists(copy) && original is not null && File.Exists(original) && !File.ReadAllBytes(copy).SequenceEqual(File.ReadAllBytes(original)))
                result.AddError($"{copy} is another authority's certificate; pass --force to replace it.");
        });
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(output)!.FullName;
            var nodeName = parse.GetValue(name)!;
            var authorityPath = Path.Combine(parse.GetValue(authorityFolder)!.FullName, AuthorityIdentityFile);
            X509Certificate2 authority;
            try
            {
                authority = CertificateFiles.LoadIdentity(authorityPath, null, "--ca");
            }
            catch (ConfigException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return CommandLine.Usage;
            }
            using (authority)
            {
                var algorithm = parse.GetValue(key) == "rsa-2048" ? KeyAlgorithm.Rsa2048 : KeyAlgorithm.EcdsaP256;
                using var node = CertificateFactory.Issue(authority, nodeName, parse.GetValue(hosts)!, TimeSpan.FromDays(parse.GetValue(days)), algorithm);
                CertificateFiles.CreatePrivateDirectory(folder);
                var identityPath = Path.Combine(folder, nodeName + ".pfx");
                var authorityCopy = Path.Combine(folder, AuthorityCertificateFile);
                CertificateFiles.WriteIdentity(identityPath, node);
                CertificateFiles.WritePublic(Path.Combine(folder, nodeName + ".crt"), node);
                CertificateFiles.WritePublic(authorityCopy, authority);
                Console.WriteLine($"wrote {identityPath} (private: this node's certificate and key)");
                Console.WriteLine($"wrote {Path.Combine(folder, nodeName + ".crt")} and {authorityCopy}");
                Console.WriteLine("use it with:");
                Console.WriteLine($"  actors.security.tls {{ credentials = files, certificate.path = \"{identityPath}\", ca-path = \"{authorityCopy}\" }}");
            }
            return CommandLine.Ok;
        });
        return command;
    }

    private static Option<DirectoryInfo> OutOption(string description) => new("--out") { Description = description, Required = true };

    private static Option<string> NameOption(string description, string? fallback)
    {
        var option = new Option<string>("--name") { Description = description, Required = fallback is null };
        if (fallback is not null) option.DefaultValueFactory = _ => fallback;
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            // An authority's name is free text; a node's becomes file names, so it is kept plain.
            if (fallback is null ? !ValidName(value) : string.IsNullOrWhiteSpace(value) || value.Length > 64)
                result.AddError(fallback is null
                    ? $"--name {value}: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit."
                    : "--name must be 1-64 characters.");
        });
        return option;
    }

    private static Option<int> DaysOption(int fallback)
    {
        var option = new Option<int>("--days") { Description = "How many days the certificate is valid.", DefaultValueFactory = _ => fallback };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 36500) result.AddError("--days must be 1..36500.");
        });
        return option;
    }

    private static Option<bool> ForceOption() => new("--force") { Description = "Replace files that already exist." };

    private static void RefuseExisting(CommandResult result, DirectoryInfo folder, params string[] files)
    {
        foreach (var file in files.Select(file => Path.Combine(folder.FullName, file)).Where(File.Exists))
            result.AddError($"{file} already exists; pass --force to replace it.");
    }

    private static bool ValidName(string? name) => name is not null && NodeName().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NodeName();
}
