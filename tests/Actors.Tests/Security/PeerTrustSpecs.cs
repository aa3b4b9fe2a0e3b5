using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Actors.Security;

namespace Actors.Tests.Security;

/// <summary>The decision on one peer certificate, without any network: what is accepted, what is refused, and why.</summary>
public sealed class PeerTrustSpecs
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    // What the platform reports for a certificate that does not chain to a machine root: ignored by design.
    private const SslPolicyErrors Untrusted = SslPolicyErrors.RemoteCertificateChainErrors;

    [Fact]
    public void Pinned_trust_must_accept_exactly_the_pinned_certificate()
    {
        using var pinned = CertificateFactory.CreateSelfSigned("pool", Day);
        using var twin = CertificateFactory.CreateSelfSigned("pool", Day); // same name, another key
        var trust = PeerTrust.Pinned([pinned]);

        Assert.True(trust.Accepts(pinned, Untrusted, out var accepted), accepted);
        Assert.Equal("", accepted);
        Assert.False(trust.Accepts(twin, SslPolicyErrors.None, out var refused));
        Assert.Contains("is not the pinned one", refused);
        Assert.False(trust.Accepts(null, SslPolicyErrors.RemoteCertificateNotAvailable, out var none));
        Assert.Equal("it presented no certificate", none);
    }

    [Fact]
    public void Pinned_trust_must_accept_the_public_copy_a_peer_presents()
    {
        using var pinned = CertificateFactory.CreateSelfSigned("pool", Day);
        using var presented = X509CertificateLoader.LoadCertificate(pinned.RawData);

        Assert.True(PeerTrust.Pinned([pinned]).Accepts(presented, Untrusted, out _));
    }

    [Fact]
    public void Authority_trust_must_accept_a_node_certificate_it_issued()
    {
        using var authority = CertificateFactory.CreateAuthority("cluster CA", Day);
        using var node = CertificateFactory.Issue(authority, "node", ["127.0.0.1"], Day);

        Assert.True(PeerTrust.IssuedBy(authority).Accepts(node, Untrusted, out var reason), reason);
    }

    [Fact]
    public void Authority_trust_must_refuse_another_authoritys_certificate_even_with_the_same_names()
    {
        using var authority = CertificateFactory.CreateAuthority("cluster CA", Day);
        using var impostor = CertificateFactory.CreateAuthority("cluster CA", Day);
        using var node = CertificateFactory.Issue(impostor, "node", ["127.0.0.1"], Day);

        Assert.False(PeerTrust.IssuedBy(authority).Accepts(node, SslPolicyErrors.None, out var reason));
        Assert.Contains("was not issued by CN=cluster CA", reason);
    }

    [Fact]
    public void Authority_trust_must_refuse_a_self_signed_certificate_naming_the_authority_as_issuer()
    {
        using var authority = CertificateFactory.CreateAuthority("cluster CA", Day);
        // Self-signed with the authority's name as subject and issuer: an issuer-name check would pass it.
        using var forged = CertificateFactory.CreateSelfSigned("cluster CA", Day);

        Assert.Equal(authority.Subject, forged.Issuer);
        Assert.False(PeerTrust.IssuedBy(authority).Accepts(forged, SslPolicyErrors.None, out var reason));
        Assert.Contains("was not issued by", reason);
    }

    [Fact]
    public void Authority_trust_must_refuse_the_authority_itself_and_any_other_ca()
    {
        using var authority = CertificateFactory.CreateAuthority("cluster CA", Day);
        using var sub = SubordinateAuthority(authority);
        var trust = PeerTrust.IssuedBy(authority);

        Assert.False(trust.Accepts(X509CertificateLoader.LoadCertificate(authority.RawData), SslPolicyErrors.None, out var itself));
        Assert.Contains("the authority's own certificate", itself);
        Assert.False(trust.Accepts(sub, SslPolicyErrors.None, out var ca));
        Assert.Contains("is a certificate authority, not a node", ca);
    }

    [Fact]
    public void Authority_trust_must_refuse_an_expired_node_certificate()
    {
        using var authority = AuthorityFromLastWeek();
        using var expired = IssueWithDates(authority, DateTimeOffset.UtcNow.AddDays(-3), DateTimeOffset.UtcNow.AddDays(-1));

        Assert.False(PeerTrust.IssuedBy(authority).Accepts(expired, SslPolicyErrors.None, out var reason));
        Assert.Contains("was not issued by", reason);
    }

    [Fact]
    public void Authority_trust_must_check_the_dialled_host_only_when_asked()
    {
        using var authority = CertificateFactory.CreateAuthority("cluster CA", Day);
        using var node = CertificateFactory.Issue(authority, "node", ["node1.example"], Day);
        const SslPolicyErrors mismatch = SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors;

        Assert.True(PeerTrust.IssuedBy(authority, validateHostname: false).Accepts(node, mismatch, out _));
        Assert.False(PeerTrust.IssuedBy(authority, validateHostname: true).Accepts(node, mismatch, out var reason));
        Assert.Contains("does not name the host dialled", reason);
    }

    [Fact]
    public void Authority_trust_must_be_given_a_certificate_authority()
    {
        using var leaf = CertificateFactory.CreateSelfSigned("not a CA", Day);

        Assert.Contains("is not a certificate authority", Assert.Throws<ArgumentException>(() => PeerTrust.IssuedBy(leaf)).Message);
    }

    private static X509Certificate2 SubordinateAuthority(X509Certificate2 authority)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=sub CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(authority, now.AddMinutes(-1), now.AddHours(1), [1, 2, 3]);
        return issued.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 AuthorityFromLastWeek()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=cluster CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-7), DateTimeOffset.UtcNow.AddDays(7));
    }

    private static X509Certificate2 IssueWithDates(X509Certificate2 authority, DateTimeOffset from, DateTimeOffset to)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=old node", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var issued = request.Create(authority, from, to, [4, 5, 6]);
        return issued.CopyWithPrivateKey(key);
    }
}
