using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Actors.Security;

namespace Actors.Tests.Security;

public sealed class CertificateFactorySpecs
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    public void Self_signed_certificate_must_carry_its_key_and_serve_both_ends_of_mutual_tls(KeyAlgorithm algorithm)
    {
        using var certificate = CertificateFactory.CreateSelfSigned("pool 42", Day, algorithm);

        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("CN=pool 42", certificate.Subject);
        Assert.Equal(certificate.Subject, certificate.Issuer);
        Assert.Equal(algorithm == KeyAlgorithm.EcdsaP256 ? "1.2.840.10045.2.1" : "1.2.840.113549.1.1.1", certificate.PublicKey.Oid.Value);
        AssertEndEntityForBothEnds(certificate);
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature));
        Assert.Equal(algorithm == KeyAlgorithm.Rsa2048, usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyEncipherment));
    }

    [Fact]
    public void Authority_must_be_a_ca_that_signs_only_end_entities()
    {
        using var authority = CertificateFactory.CreateAuthority("dev CA", Day);

        var constraints = authority.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        Assert.True(authority.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.True(authority.HasPrivateKey);
    }

    [Fact]
    public void Issued_node_certificate_must_chain_to_its_authority_and_name_its_hosts()
    {
        using var authority = CertificateFactory.CreateAuthority("dev CA", Day);

        using var node = CertificateFactory.Issue(authority, "worker-1", ["node1.example", "10.0.0.7", "::1"], Day);

        Assert.True(node.HasPrivateKey);
        Assert.Equal("CN=dev CA", node.Issuer);
        AssertEndEntityForBothEnds(node);
        var names = node.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["node1.example"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("10.0.0.7"), IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
        Assert.True(node.MatchesHostname("node1.example"));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(node), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void Issued_certificate_must_not_outlive_its_authority()
    {
        using var authority = CertificateFactory.CreateAuthority("short CA", Day);

        using var node = CertificateFactory.Issue(authority, "n", [], TimeSpan.FromDays(3650));

        Assert.True(node.NotAfter <= authority.NotAfter);
    }

    [Fact]
    public void Issuing_must_refuse_an_authority_without_its_key_and_a_malformed_host()
    {
        using var authority = CertificateFactory.CreateAuthority("dev CA", Day);
        using var publicOnly = X509CertificateLoader.LoadCertificate(authority.RawData);

        Assert.Contains("no private key", Assert.Throws<ArgumentException>(() => CertificateFactory.Issue(publicOnly, "n", [], Day)).Message);
        Assert.Contains("'bad host!'", Assert.Throws<ArgumentException>(() => CertificateFactory.Issue(authority, "n", ["bad host!"], Day)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CertificateFactory.CreateSelfSigned("n", TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => CertificateFactory.CreateSelfSigned(" ", Day));
    }

    [Fact]
    public void Certificate_must_keep_its_private_key_through_an_encrypted_pkcs12_file()
    {
        using var certificate = CertificateFactory.CreateSelfSigned("pool", Day);
        var folder = Directory.CreateTempSubdirectory("actors-cert-");
        try
        {
            var path = Path.Combine(folder.FullName, "pool.pfx");
            CertificateFiles.WriteIdentity(path, certificate, "s3cret");

            using var copy = CertificateFiles.LoadIdentity(path, "s3cret", "test.path");

            Assert.Equal(certificate.RawData, copy.RawData);
            AssertSameKey(certificate, copy);
            var wrongPassword = Assert.Throws<Actors.Configuration.ConfigException>(() => CertificateFiles.LoadIdentity(path, "guess", "test.path"));
            Assert.StartsWith($"test.path = {path}: cannot read", wrongPassword.Message);
            if (!OperatingSystem.IsWindows()) Assert.Equal(CertificateFiles.PrivateFileMode, File.GetUnixFileMode(path));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Both hold the same private key: what one signs, the other's public key verifies.</summary>
    internal static void AssertSameKey(X509Certificate2 original, X509Certificate2 copy)
    {
        var data = "proof of possession"u8.ToArray();
        using var key = copy.GetECDsaPrivateKey();
        using var publicKey = original.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.True(publicKey!.VerifyData(data, key.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
    }

    private static void AssertEndEntityForBothEnds(X509Certificate2 certificate)
    {
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()
            .Select(oid => oid.Value).ToList();
        Assert.Contains("1.3.6.1.5.5.7.3.1", usages);
        Assert.Contains("1.3.6.1.5.5.7.3.2", usages);
    }
}
