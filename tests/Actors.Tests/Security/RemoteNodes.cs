using System.Security.Cryptography.X509Certificates;
using Actors.Configuration;
using Actors.Security;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;
using Akka.TestKit;

namespace Actors.Tests.Security;

/// <summary>Actor systems on 127.0.0.1 with free ports, in this test process; all are terminated on dispose.</summary>
internal sealed class RemoteNodes(TestKitBase testKit) : IAsyncDisposable
{
    /// <summary>How long any one remote exchange may take on a loaded two-core machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly List<ActorSystem> _systems = [];

    /// <summary>
    /// The project's wire settings (its serializer bindings), remoting on loopback, warnings on the
    /// event stream; a dial whose TLS handshake never completes (into a plain port) fails after 5 s,
    /// not DotNetty's 15 (connection-timeout bounds the connect and the handshake).
    /// </summary>
    private static readonly Config Base = ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.actor.serialization-settings.allow-unregistered-types = false
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, connection-timeout = 5s }
        akka.loglevel = WARNING
        akka.coordinated-shutdown.exit-clr = off
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        """).WithFallback(ActorsConfig.Defaults);

    /// <summary>A node that runs <paramref name="policy"/>.</summary>
    public ActorSystem Start(string name, TlsPolicy policy) => Track(policy.CreateActorSystem(name, Base));

    /// <summary>A node without TLS (plain <c>akka.tcp</c>).</summary>
    public ActorSystem StartPlain(string name) => Track(ActorSystem.Create(name, Base));

    /// <summary>
    /// An attacker's node: TLS with its own certificate, accepting any certificate a peer presents,
    /// so that only the other side's checks stand between it and the peer.
    /// </summary>
    public ActorSystem StartAcceptingAnyone(string name, X509Certificate2 certificate)
    {
        CertificateValidationCallback anyone = (_, _, _, _, _) => true;
        var tls = ConfigurationFactory.ParseString("akka.remote.dot-netty.tcp.enable-ssl = on").WithFallback(Base);
        var setup = Akka.Actor.BootstrapSetup.Create().WithConfig(tls)
            .And(new DotNettySslSetup(certificate, suppressValidation: true, requireMutualAuthentication: true, validateCertificateHostname: false, anyone));
        var system = ActorSystem.Create(name, setup);
        // The attacker's own node stays up when the trusted side refuses it, so it can keep trying.
        return Track(system);
    }

    /// <summary>A probe in <paramref name="system"/> and the address other nodes reach it at.</summary>
    public (TestProbe Probe, ActorPath Path) Listener(ActorSystem system)
    {
        var probe = testKit.CreateTestProbe(system);
        var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        return (probe, ActorPath.Parse(probe.Ref.Path.ToStringWithAddress(address)));
    }

    /// <summary>A probe that receives <paramref name="system"/>'s warnings.</summary>
    public TestProbe Warnings(ActorSystem system)
    {
        var probe = testKit.CreateTestProbe(system);
        system.EventStream.Subscribe(probe.Ref, typeof(Warning));
        return probe;
    }

    /// <summary>Waits for a warning containing <paramref name="text"/>; fails naming it when none came.</summary>
    public static async Task ExpectWarningAsync(TestProbe warnings, string text, string what)
    {
        try
        {
            await warnings.FishForMessageAsync<Warning>(w => w.Message?.ToString()?.Contains(text, StringComparison.Ordinal) == true, Patience);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new Xunit.Sdk.XunitException($"no warning containing \"{text}\" ({what}) within {Patience}: {e.Message}");
        }
    }

    /// <summary>Asks <paramref name="from"/> to identify the actor at <paramref name="path"/>; returns its reference, or fails naming what never arrived.</summary>
    public async Task<IActorRef> IdentifyAsync(ActorSystem from, ActorPath path)
    {
        var asker = testKit.CreateTestProbe(from);
        from.ActorSelection(path).Tell(new Identify(path.ToString()), asker.Ref);
        var identity = await asker.ExpectMsgAsync<ActorIdentity>(Patience, $"an ActorIdentity for {path} to {from.Name}");
        return identity.Subject ?? throw new Xunit.Sdk.XunitException($"{path} answered Identify without a subject");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var system in _systems)
            await system.Terminate().WaitAsync(Patience);
    }

    private ActorSystem Track(ActorSystem system)
    {
        _systems.Add(system);
        return system;
    }
}
