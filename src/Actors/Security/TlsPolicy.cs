using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;

namespace Actors.Security;

/// <summary>
/// How one actor system runs Akka.Remote over TLS: the certificate it presents, which peers it
/// accepts (<see cref="PeerTrust"/>), and what a failed outbound handshake does. Mutual
/// authentication is always on and the platform's chain check is never what decides: without a
/// certificate this policy accepts, a peer can neither connect to the node nor be connected to.
/// </summary>
public sealed class TlsPolicy
{
    /// <param name="certificate">This node's certificate, with its private key.</param>
    /// <param name="trust">The peers it accepts.</param>
    /// <param name="keepRunningOnOutboundHandshakeFailure">Install <see cref="OutboundHandshakeGuard"/> (see there); off keeps Akka's exit with code 79.</param>
    public TlsPolicy(X509Certificate2 certificate, PeerTrust trust, bool keepRunningOnOutboundHandshakeFailure = true)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(trust);
        if (!certificate.HasPrivateKey) throw new ArgumentException($"the certificate {certificate.Subject} has no private key.", nameof(certificate));
        Certificate = certificate;
        Trust = trust;
        KeepRunningOnOutboundHandshakeFailure = keepRunningOnOutboundHandshakeFailure;
    }

    /// <summary>This node's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The peers this node accepts.</summary>
    public PeerTrust Trust { get; }

    /// <summary>Whether a failed outbound handshake leaves the node running (the guard) rather than shutting it down.</summary>
    public bool KeepRunningOnOutboundHandshakeFailure { get; }

    /// <summary>
    /// A fresh self-signed certificate that the node pins as its only trusted peer: the identity a
    /// pool shares with the worker processes it starts (hand it over with <see cref="CredentialChannel"/>).
    /// </summary>
    public static TlsPolicy Ephemeral(string name, KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256, bool keepRunningOnOutboundHandshakeFailure = true)
    {
        var certificate = CertificateFactory.CreateSelfSigned(name, EphemeralValidity, algorithm);
        return new TlsPolicy(certificate, PeerTrust.Pinned([certificate]), keepRunningOnOutboundHandshakeFailure);
    }

    /// <summary>The policy <paramref name="settings"/> describe: an ephemeral identity, or the configured files.</summary>
    /// <param name="settings">The <c>actors.security.tls</c> section; TLS must be enabled.</param>
    /// <param name="ephemeralName">The common name of an ephemeral certificate.</param>
    /// <exception cref="Actors.Configuration.ConfigException">A configured file cannot be read.</exception>
    public static TlsPolicy FromSettings(WireSecuritySettings settings, string ephemeralName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Enabled) throw new InvalidOperationException($"{WireSecuritySettings.Path}.enabled is off: there is no TLS policy to build.");
        if (settings.Credentials == CredentialSource.Ephemeral)
            return Ephemeral(ephemeralName, settings.KeyAlgorithm, settings.KeepRunningOnOutboundHandshakeFailure);
        var certificate = CertificateFiles.LoadIdentity(settings.CertificatePath!, settings.CertificatePassword, $"{WireSecuritySettings.Path}.certificate.path");
        var authority = CertificateFiles.LoadPublic(settings.AuthorityPath!, $"{WireSecuritySettings.Path}.ca-path");
        return new TlsPolicy(certificate, PeerTrust.IssuedBy(authority, settings.ValidateHostname), settings.KeepRunningOnOutboundHandshakeFailure);
    }

    /// <summary>The HOCON this policy needs under the caller's: TLS on, mutual authentication on, validation never suppressed (and the guard's phase).</summary>
    public Config Hocon
    {
        get
        {
            var tls = ConfigurationFactory.ParseString("""
                akka.remote.dot-netty.tcp {
                  enable-ssl = on
                  ssl {
                    suppress-validation = off
                    require-mutual-authentication = on
                  }
                }
                """);
            return KeepRunningOnOutboundHandshakeFailure ? tls.WithFallback(OutboundHandshakeGuard.Hocon) : tls;
        }
    }

    /// <summary>The setup that hands Akka.Remote the in-memory certificate and this policy's validator.</summary>
    public DotNettySslSetup SslSetup =>
        // Hostname validation is the trust's own decision: Akka's flag is ignored once a validator is given.
        new(Certificate, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false, Trust.ToValidator());

    /// <summary>Everything <c>ActorSystem.Create</c> needs: <paramref name="config"/> under <see cref="Hocon"/>, and <see cref="SslSetup"/>.</summary>
    public ActorSystemSetup Setup(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return BootstrapSetup.Create().WithConfig(Hocon.WithFallback(config)).And(SslSetup);
    }

    /// <summary>Creates an actor system that runs this policy (and installs the guard when it is on).</summary>
    public ActorSystem CreateActorSystem(string name, Config config)
    {
        var system = ActorSystem.Create(name, Setup(config));
        try
        {
            Attach(system);
        }
        catch
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            throw;
        }
        return system;
    }

    /// <summary>
    /// For a system created from <see cref="Setup"/> some other way (Akka.Hosting): installs the
    /// guard when this policy keeps the node running. Call it before the system dials anyone.
    /// </summary>
    public void Attach(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (!system.Settings.Config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"))
            throw new InvalidOperationException($"{system.Name} does not run TLS: create it from TlsPolicy.Setup(config).");
        if (KeepRunningOnOutboundHandshakeFailure) OutboundHandshakeGuard.Install(system);
        WireSecurity.For(system).Policy = this;
    }

    // Informational only: a pinned certificate is trusted as itself whatever its dates, and this
    // one exists only in the memory of the pool that made it and of its worker processes.
    private static readonly TimeSpan EphemeralValidity = TimeSpan.FromDays(365);
}
