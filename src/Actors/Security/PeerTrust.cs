using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace Actors.Security;

/// <summary>
/// Which peer certificates a node accepts on the wire: exactly some pinned certificates (a pool and
/// its own worker processes), or certificates issued by one certificate authority (pre-started and
/// cluster nodes). The machine's trusted roots are never consulted, and the peer's possession of
/// the private key is proven by the TLS handshake itself, before this is asked.
/// </summary>
public abstract class PeerTrust
{
    private protected PeerTrust() { }

    /// <summary>Accepts exactly these certificates (compared by SHA-256 of their encoding), whatever their dates or issuer.</summary>
    public static PeerTrust Pinned(IEnumerable<X509Certificate2> certificates) => new PinnedTrust(certificates);

    /// <summary>Accepts end-entity certificates that chain to <paramref name="authority"/> and to nothing else.</summary>
    /// <param name="authority">The one root trusted; its private key is not needed.</param>
    /// <param name="validateHostname">Also require, when dialling, that the peer's certificate names the host dialled.</param>
    public static PeerTrust IssuedBy(X509Certificate2 authority, bool validateHostname = false) => new AuthorityTrust(authority, validateHostname);

    /// <summary>Decides on one peer certificate as it arrives in a handshake.</summary>
    /// <param name="peer">The certificate the peer presented; null when it presented none.</param>
    /// <param name="errors">What the platform's own checks found (used only for the host name; the chain is checked here).</param>
    /// <param name="reason">Why it was refused; empty when accepted.</param>
    public abstract bool Accepts(X509Certificate2? peer, SslPolicyErrors errors, out string reason);

    /// <summary>The callback Akka.Remote calls in every handshake, on both the listening and the dialling side; a refusal is logged with its reason.</summary>
    public CertificateValidationCallback ToValidator() => (certificate, _, peer, errors, log) =>
    {
        if (Accepts(certificate, errors, out var reason)) return true;
        log.Warning("Refused TLS peer {0}: {1}", peer, reason);
        return false;
    };

    /// <summary>SHA-256 of the certificate's encoding, in upper-case hex.</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        Convert.ToHexString(SHA256.HashData(certificate.RawData));

    private protected static string Describe(X509Certificate2 certificate) =>
        $"{certificate.Subject} (issuer {certificate.Issuer}, SHA-256 {Fingerprint(certificate)[..16]}…)";
}

/// <summary>Accepts exactly the pinned certificates.</summary>
internal sealed class PinnedTrust : PeerTrust
{
    /// <summary>The pinned fingerprints.</summary>
    private readonly HashSet<string> _pins;

    public PinnedTrust(IEnumerable<X509Certificate2> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        Certificates = [.. certificates];
        if (Certificates.Count == 0) throw new ArgumentException("pinning needs at least one certificate.", nameof(certificates));
        _pins = Certificates.Select(Fingerprint).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The pinned certificates (public parts), as given.</summary>
    public IReadOnlyList<X509Certificate2> Certificates { get; }

    public override bool Accepts(X509Certificate2? peer, SslPolicyErrors errors, out string reason)
    {
        // Dates are not checked: a pinned certificate is trusted as exactly itself, and an ephemeral
        // one lives only as long as the pool that made it.
        reason = peer is null ? "it presented no certificate"
            : _pins.Contains(Fingerprint(peer)) ? ""
            : $"its certificate {Describe(peer)} is not the pinned one";
        return reason.Length == 0;
    }
}

/// <summary>Accepts end-entity certificates issued by one authority.</summary>
internal sealed class AuthorityTrust : PeerTrust
{
    public AuthorityTrust(X509Certificate2 authority, bool validateHostname)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (authority.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
            throw new ArgumentException($"{authority.Subject} is not a certificate authority (no CA basic constraint).", nameof(authority));
        // Only the public part is kept: a node that trusts the authority never needs its key.
        Authority = X509CertificateLoader.LoadCertificate(authority.RawData);
        ValidateHostname = validateHostname;
    }

    /// <summary>The trusted root.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>Whether a dialled peer's certificate must name the host dialled.</summary>
    public bool ValidateHostname { get; }

    public override bool Accepts(X509Certificate2? peer, SslPolicyErrors errors, out string reason)
    {
        reason = Check(peer, errors);
        return reason.Length == 0;
    }

    private string Check(X509Certificate2? peer, SslPolicyErrors errors)
    {
        if (peer is null) return "it presented no certificate";
        if (peer.RawData.AsSpan().SequenceEqual(Authority.RawData)) return "it presented the authority's own certificate, not a node certificate";
        if (peer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true })
            return $"its certificate {Describe(peer)} is a certificate authority, not a node";
        if (peer.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usage && !AllowsBothEnds(usage))
            return $"its certificate {Describe(peer)} is not for both TLS server and client authentication";
        // The platform reports a name mismatch only on the dialling side, where there is a host to compare.
        if (ValidateHostname && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return $"its certificate {Describe(peer)} does not name the host dialled";

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // a development authority publishes no revocation list
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (!chain.Build(peer))
        {
            var problems = chain.ChainStatus.Select(status => status.StatusInformation.Trim()).Where(text => text.Length > 0).Distinct();
            return $"its certificate {Describe(peer)} was not issued by {Authority.Subject} ({string.Join("; ", problems)})";
        }
        var root = chain.ChainElements[^1].Certificate;
        return root.RawData.AsSpan().SequenceEqual(Authority.RawData) ? "" : $"its certificate {Describe(peer)} chains to {root.Subject}, not to the authority";
    }

    private static bool AllowsBothEnds(X509EnhancedKeyUsageExtension usage)
    {
        var oids = usage.EnhancedKeyUsages.Cast<Oid>().Select(oid => oid.Value).ToHashSet();
        return oids.Contains(CertificateFactory.ServerAuthentication.Value) && oids.Contains(CertificateFactory.ClientAuthentication.Value);
    }
}
