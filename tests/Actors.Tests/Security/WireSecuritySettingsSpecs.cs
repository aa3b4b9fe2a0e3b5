using Actors.Configuration;
using Actors.Security;
using Akka.Configuration;

namespace Actors.Tests.Security;

public sealed class WireSecuritySettingsSpecs
{
    [Fact]
    public void Defaults_must_run_tls_with_an_ephemeral_pinned_identity_that_keeps_the_node_running()
    {
        var settings = WireSecuritySettings.Create(ActorsConfig.Defaults);

        Assert.Equal((KeyAlgorithm.EcdsaP256, TimeSpan.FromSeconds(30), false), (settings.KeyAlgorithm, settings.HandOffTimeout, settings.ValidateHostname));
        Assert.Null(settings.CertificatePath);
        Assert.True(settings.Enabled);
        Assert.Equal(CredentialSource.Ephemeral, settings.Credentials);
        Assert.True(settings.KeepRunningOnOutboundHandshakeFailure);
    }

    [Theory]
    [InlineData("credentials = pinned", "actors.security.tls.credentials = pinned: must be one of ephemeral, files")]
    [InlineData("key-algorithm = dsa", "actors.security.tls.key-algorithm = dsa: must be one of ecdsa-p256, rsa-2048")]
    [InlineData("on-outbound-handshake-failure = ignore", "actors.security.tls.on-outbound-handshake-failure = ignore: must be one of keep-running, shut-down")]
    [InlineData("hand-off-timeout = 0s", "actors.security.tls.hand-off-timeout = 0s: must be positive")]
    [InlineData("hand-off-timeout = soon", "actors.security.tls.hand-off-timeout = soon:")]
    [InlineData("enabled = maybe", "actors.security.tls.enabled = maybe:")]
    [InlineData("credentials = files", "actors.security.tls.certificate.path = \"\": credentials = files needs this node's PKCS#12 file")]
    [InlineData("credentials = files, certificate.path = /nowhere/node.pfx", "actors.security.tls.ca-path = \"\": credentials = files needs")]
    [InlineData("credentials = files, certificate.path = /nowhere/node.pfx, ca-path = /nowhere/ca.crt", "actors.security.tls.certificate.path = /nowhere/node.pfx: no such file")]
    public void A_bad_value_must_be_refused_naming_its_key(string hocon, string expected)
    {
        var config = ConfigurationFactory.ParseString($"actors.security.tls {{ {hocon} }}").WithFallback(ActorsConfig.Defaults);

        var error = Assert.Throws<ConfigException>(() => WireSecuritySettings.Create(config));

        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void Files_are_not_required_while_tls_is_off()
    {
        var config = ConfigurationFactory.ParseString("actors.security.tls { enabled = off, credentials = files }").WithFallback(ActorsConfig.Defaults);

        Assert.False(WireSecuritySettings.Create(config).Enabled);
    }

    [Fact]
    public void Files_credentials_must_build_a_policy_that_trusts_the_configured_authority()
    {
        var folder = Directory.CreateTempSubdirectory("actors-tls-settings-");
        try
        {
            var authority = CertificateFactory.CreateAuthority("cluster CA", TimeSpan.FromDays(1));
            var node = CertificateFactory.Issue(authority, "node", [], TimeSpan.FromDays(1));
            var nodePath = Path.Combine(folder.FullName, "node.pfx");
            var caPath = Path.Combine(folder.FullName, "ca.crt");
            CertificateFiles.WriteIdentity(nodePath, node, "pw");
            CertificateFiles.WritePublic(caPath, authority);
            var config = ConfigurationFactory.ParseString($$"""
                actors.security.tls {
                  credentials = files
                  certificate { path = "{{nodePath}}", password = pw }
                  ca-path = "{{caPath}}"
                  on-outbound-handshake-failure = shut-down
                }
                """).WithFallback(ActorsConfig.Defaults);

            var policy = TlsPolicy.FromSettings(WireSecuritySettings.Create(config), "unused");

            Assert.Equal(node.RawData, policy.Certificate.RawData);
            Assert.True(policy.Certificate.HasPrivateKey);
            Assert.False(policy.KeepRunningOnOutboundHandshakeFailure);
            Assert.True(policy.Trust.Accepts(CertificateFactory.Issue(authority, "peer", [], TimeSpan.FromDays(1)), default, out var reason), reason);
            Assert.False(policy.Trust.Accepts(CertificateFactory.CreateSelfSigned("cluster CA", TimeSpan.FromDays(1)), default, out _));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_certificate_file_that_cannot_be_read_must_be_reported_with_its_setting()
    {
        var folder = Directory.CreateTempSubdirectory("actors-tls-settings-");
        try
        {
            var nodePath = Path.Combine(folder.FullName, "node.pfx");
            var caPath = Path.Combine(folder.FullName, "ca.crt");
            File.WriteAllText(nodePath, "not a certificate");
            File.WriteAllText(caPath, "not a certificate");
            var config = ConfigurationFactory.ParseString($$"""
                actors.security.tls { credentials = files, certificate.path = "{{nodePath}}", ca-path = "{{caPath}}" }
                """).WithFallback(ActorsConfig.Defaults);

            var error = Assert.Throws<ConfigException>(() => TlsPolicy.FromSettings(WireSecuritySettings.Create(config), "unused"));

            Assert.StartsWith($"actors.security.tls.certificate.path = {nodePath}: cannot read a PKCS#12 certificate", error.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
