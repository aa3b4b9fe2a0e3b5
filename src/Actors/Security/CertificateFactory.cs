using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Actors.Security;

/// <summary>The key pair a new certificate gets.</summary>
public enum KeyAlgorithm
{
    /// <summary>ECDSA on NIST P-256: small, and the fastest handshakes.</summary>
    EcdsaP256,

    /// <summary>RSA with a 2048-bit modulus, for peers that cannot use ECDSA.</summary>
    Rsa2048,
}

/// <summary>
/// Makes the certificates the wire needs, in C# (no external tool): a self-signed certificate for
/// one pool and its worker processes, a development certificate authority, and node certificates
/// issued by that authority. Every end-entity certificate is good for both ends of a mutually
/// authenticated connection (server and client authentication), because every node both listens
/// and dials.
/// </summary>
public static class CertificateFactory
{
    /// <summary>The extended key usage a TLS server certificate needs.</summary>
    public static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    /// <summary>The extended key usage a TLS client certificate needs.</summary>
    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    // Peers' clocks may run a little behind this one: a certificate is valid from a few minutes ago.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>A self-signed end-entity certificate with its private key (a pool's ephemeral identity, pinned by its peers).</summary>
    /// <param name="name">The common name.</param>
    /// <param name="validity">How long it is valid from now.</param>
    /// <param name="algorithm">Its key pair.</param>
    public static X509Certificate2 CreateSelfSigned(string name, TimeSpan validity, KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256)
    {
        RequirePositive(validity);
        using var key = NewKey(algorithm);
        var request = EndEntityRequest(name, key, algorithm, hosts: []);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now - ClockSkew, now + validity);
        return Reload(certificate);
    }

    /// <summary>A certificate authority that can sign node certificates (and nothing below them).</summary>
    /// <param name="name">The common name.</param>
    /// <param name="validity">How long it is valid from now.</param>
    public static X509Certificate2 CreateAuthority(string name, TimeSpan validity)
    {
        RequirePositive(validity);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject(name), key, HashAlgorithmName.SHA256);
        // Path length 0: a node certificate issued by this authority cannot issue certificates itself.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now - ClockSkew, now + validity);
        return Reload(certificate);
    }

    /// <summary>A node certificate signed by <paramref name="authority"/>, with its private key.</summary>
    /// <param name="authority">The issuing authority; it must hold its private key.</param>
    /// <param name="name">The node's common name.</param>
    /// <param name="hosts">Host names and IP addresses the node is reached at (its subject alternative names).</param>
    /// <param name="validity">How long it is valid from now; never past the authority's own expiry.</param>
    /// <param name="algorithm">The node's key pair.</param>
    public static X509Certificate2 Issue(X509Certificate2 authority, string name, IReadOnlyCollection<string> hosts, TimeSpan validity,
        KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(hosts);
        RequirePositive(validity);
        if (!authority.HasPrivateKey) throw new ArgumentException($"the authority {authority.Subject} has no private key to sign with.", nameof(authority));
        using var key = NewKey(algorithm);
        var request = EndEntityRequest(name, key, algorithm, hosts);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var now = DateTimeOffset.UtcNow;
        var notAfter = Min(now + validity, new DateTimeOffset(authority.NotAfter.ToUniversalTime()));
        using var issued = request.Create(authority, now - ClockSkew, notAfter, SerialNumber());
        using var withKey = key is ECDsa ecdsa ? issued.CopyWithPrivateKey(ecdsa) : issued.CopyWithPrivateKey((RSA)key);
        return Reload(withKey);
    }

    private static CertificateRequest EndEntityRequest(string name, AsymmetricAlgorithm key, KeyAlgorithm algorithm, IReadOnlyCollection<string> hosts)
    {
        var request = key is ECDsa ecdsa
            ? new CertificateRequest(Subject(name), ecdsa, HashAlgorithmName.SHA256)
            : new CertificateRequest(Subject(name), (RSA)key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        // RSA key exchange (TLS 1.2 RSA suites) enciphers with the key; ECDSA only signs.
        var usage = algorithm == KeyAlgorithm.Rsa2048
            ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment
            : X509KeyUsageFlags.DigitalSignature;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication, ClientAuthentication], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (hosts.Count > 0) request.CertificateExtensions.Add(AlternativeNames(hosts));
        return request;
    }

    private static X509Extension AlternativeNames(IEnumerable<string> hosts)
    {
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            if (IPAddress.TryParse(host, out var address)) names.AddIpAddress(address);
            else if (Uri.CheckHostName(host) == UriHostNameType.Dns) names.AddDnsName(host);
            else throw new ArgumentException($"'{host}' is neither a host name nor an IP address.", nameof(hosts));
        }
        return names.Build();
    }

    private static AsymmetricAlgorithm NewKey(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyAlgorithm.Rsa2048 => RSA.Create(2048),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown key algorithm"),
    };

    private static X500DistinguishedName Subject(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a certificate needs a name.", nameof(name));
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(name);
        return builder.Build();
    }

    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive integer
        return serial;
    }

    // A certificate whose key came from CopyWithPrivateKey or CreateSelfSigned is usable on Linux as
    // it is, but not by SslStream on Windows: a round trip through PKCS#12 gives one that works on
    // every platform, and can be exported again (to hand it to worker processes).
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static void RequirePositive(TimeSpan validity)
    {
        if (validity <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(validity), validity, "validity must be positive");
    }
}
