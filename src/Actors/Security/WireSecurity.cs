using Akka.Actor;
using Akka.Configuration;

namespace Actors.Security;

/// <summary>
/// The TLS policy an actor system runs, if any, and the one way to create a system whose wire
/// follows <c>actors.security.tls</c>: a system with remoting and TLS on gets its credentials when
/// it is created (Akka.Remote takes them only then), and a pool in processes mode hands the same
/// credentials to the worker processes it starts.
/// </summary>
public sealed class WireSecurity : IExtension
{
    /// <summary>The policy the system runs; null when its wire is plain TCP or it has none.</summary>
    public TlsPolicy? Policy { get; internal set; }

    /// <summary>The extension of <paramref name="system"/>.</summary>
    public static WireSecurity For(ActorSystem system) => system.WithExtension<WireSecurity, Provider>();

    /// <summary>
    /// Creates an actor system from <paramref name="config"/>. With remoting (<c>akka.actor.provider
    /// = remote</c> or <c>cluster</c>) and <c>actors.security.tls.enabled = on</c>, its wire runs TLS
    /// with mutual authentication under the configured credentials (an ephemeral certificate by
    /// default); otherwise it is an ordinary system.
    /// </summary>
    /// <exception cref="Configuration.ConfigException">A TLS setting is invalid or a certificate file cannot be read.</exception>
    public static ActorSystem CreateSystem(string name, Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var provider = config.GetString("akka.actor.provider", "local").ToLowerInvariant();
        var remoting = provider is not ("local" or "" or "akka.actor.localactorrefprovider, akka");
        var tls = WireSecuritySettings.Create(config);
        return remoting && tls.Enabled
            ? TlsPolicy.FromSettings(tls, name).CreateActorSystem(name, config)
            : ActorSystem.Create(name, config);
    }

    /// <summary>
    /// The policy to hand to worker processes: the system's own, or null when TLS is off.
    /// </summary>
    /// <exception cref="InvalidOperationException">TLS is on, but the system was not created with its credentials.</exception>
    public static TlsPolicy? Require(ActorSystem system)
    {
        var policy = For(system).Policy;
        if (policy is not null || !WireSecuritySettings.Create(system.Settings.Config).Enabled) return policy;
        throw new InvalidOperationException(
            $"actors.pool.mode = processes runs its wire over TLS ({WireSecuritySettings.Path}.enabled = on), but actor system '{system.Name}' " +
            "was created without credentials: create it with WireSecurity.CreateSystem(name, config) (or turn TLS off).");
    }

    private sealed class Provider : ExtensionIdProvider<WireSecurity>
    {
        public override WireSecurity CreateExtension(ExtendedActorSystem system) => new();
    }
}
