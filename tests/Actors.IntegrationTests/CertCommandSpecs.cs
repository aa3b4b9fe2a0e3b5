using System.Security.Cryptography.X509Certificates;
using Actors.Configuration;
using Actors.Security;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.IntegrationTests;

/// <summary><c>actors cert</c>, run as a user runs it: its files make nodes that talk over TLS, and only those.</summary>
[Collection(ProcessCollection.Name)]
public sealed class CertCommandSpecs : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(1);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("actors-cert-spec-");

    [Fact]
    public async Task Node_certificates_from_one_authority_talk_over_tls_and_another_authoritys_are_refused()
    {
        await RunAsync("cert", "ca", "--out", At("ca"));
        var configA = SnippetOf(await RunAsync("cert", "node", "--ca", At("ca"), "--name", "a", "--host", "127.0.0.1", "--out", At("a")));
        var configB = SnippetOf(await RunAsync("cert", "node", "--ca", At("ca"), "--name", "b", "--host", "127.0.0.1", "--out", At("b")));
        await RunAsync("cert", "ca", "--out", At("other"));
        await RunAsync("cert", "node", "--ca", At("other"), "--name", "x", "--out", At("x"));

        var policyA = TlsPolicy.FromSettings(WireSecuritySettings.Create(configA), "unused");
        var policyB = TlsPolicy.FromSettings(WireSecuritySettings.Create(configB), "unused");
        var a = policyA.CreateActorSystem("a", Remote);
        var b = policyB.CreateActorSystem("b", Remote);
        try
        {
            a.ActorOf(Props.Create<Echo>(), "echo");
            var address = ((ExtendedActorSystem)a).Provider.DefaultAddress;
            var echo = await b.ActorSelection($"{address}/user/echo").ResolveOne(Generous);
            Assert.Equal("over TLS", await echo.Ask<string>("over TLS", Generous));
            Assert.Equal("akka.ssl.tcp", address.Protocol);
        }
        finally
        {
            await Task.WhenAll(a.Terminate(), b.Terminate()).WaitAsync(Generous);
        }
        using var outsider = X509CertificateLoader.LoadCertificateFromFile(At("x", "x.crt"));
        Assert.False(policyA.Trust.Accepts(outsider, default, out var reason));
        Assert.Contains("was not issued by", reason);
    }

    [Fact]
    public async Task Private_keys_are_readable_by_their_owner_only_and_nothing_is_overwritten_unasked()
    {
        if (OperatingSystem.IsWindows()) return;
        await RunAsync("cert", "ca", "--out", At("ca"));
        await RunAsync("cert", "node", "--ca", At("ca"), "--name", "n", "--out", At("n"));

        Assert.Equal(CertificateFiles.PrivateDirectoryMode, File.GetUnixFileMode(At("ca")));
        Assert.Equal(CertificateFiles.PrivateFileMode, File.GetUnixFileMode(At("ca", "ca.pfx")));
        Assert.Equal(CertificateFiles.PrivateFileMode, File.GetUnixFileMode(At("n", "n.pfx")));
        Assert.Equal(CertificateFiles.PublicFileMode, File.GetUnixFileMode(At("n", "n.crt")));
        var before = File.ReadAllBytes(At("ca", "ca.pfx"));
        var (exit, _, stderr) = await CliRunner.RunAsync(Generous, "cert", "ca", "--out", At("ca"));
        Assert.Equal(2, exit);
        Assert.Contains("ca.pfx already exists; pass --force to replace it.", stderr);
        Assert.Equal(before, File.ReadAllBytes(At("ca", "ca.pfx")));
    }

    [Theory]
    [InlineData("--name", "../escape", "--name ../escape: use 1-64 letters")]
    [InlineData("--host", "not a host", "--host not a host: not a host name or IP address.")]
    [InlineData("--days", "0", "--days must be 1..36500.")]
    public async Task A_bad_argument_prints_the_reason_and_usage_and_exits_2(string option, string value, string expected)
    {
        await RunAsync("cert", "ca", "--out", At("ca"));
        string[] args = ["cert", "node", "--ca", At("ca"), "--name", "n", "--out", At("n")];
        var nameAt = Array.IndexOf(args, option);
        args = nameAt >= 0 ? [.. args[..(nameAt + 1)], value, .. args[(nameAt + 2)..]] : [.. args, option, value];

        var (exit, stdout, stderr) = await CliRunner.RunAsync(Generous, args);

        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
        Assert.Contains("Usage:", stderr);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(At("n")), "a refused command wrote files");
    }

    [Fact]
    public async Task Issuing_without_an_authority_names_the_missing_file()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(Generous, "cert", "node", "--ca", At("none"), "--name", "n", "--out", At("n"));

        Assert.Equal(2, exit);
        Assert.Contains($"--ca {At("none")}: no ca.pfx there", stderr);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static readonly Config Remote = ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.loglevel = WARNING
        """).WithFallback(ActorsConfig.Defaults);

    private string At(params string[] parts) => Path.Combine([_folder.FullName, .. parts]);

    private static async Task<string> RunAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(Generous, args);
        Assert.True(exit == 0, $"actors {string.Join(' ', args)} exited {exit}: {stderr}");
        return stdout;
    }

    /// <summary>The HOCON line <c>actors cert node</c> prints for the user to paste, parsed.</summary>
    private static Config SnippetOf(string stdout)
    {
        var line = stdout.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("actors.security.tls {", StringComparison.Ordinal));
        return ConfigurationFactory.ParseString(line).WithFallback(ActorsConfig.Defaults);
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<string>(text => Sender.Tell(text));
    }
}
