using Actors.Security;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.TestKit;

namespace Actors.Tests.Security;

/// <summary>
/// A node's top-level actors under <see cref="KillResistantGuardian"/>: a Kill, sent locally or by a
/// peer through untrusted mode (which lets it pass in Akka.NET 1.5.75), leaves the actor running
/// with its state; other failures restart it as by default.
/// </summary>
public sealed class KillResistantGuardianSpecs() : Akka.TestKit.Xunit2.TestKit(KillResistantGuardian.Hocon), IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>A node on loopback that refuses deployment, system messages and every selection but of <c>/user/tally</c>.</summary>
    private static readonly Config UntrustedNode = ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.actor.serialization-settings.allow-unregistered-types = false
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.remote.untrusted-mode = on
        akka.remote.trusted-selection-paths = ["/user/tally"]
        akka.loglevel = WARNING
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        """);

    private readonly List<ActorSystem> _nodes = [];

    [Fact]
    public async Task A_killed_top_level_actor_must_be_resumed_with_its_state_and_the_kill_logged()
    {
        var warnings = WarningsOf(Sys);
        var tally = Sys.ActorOf(Props.Create(() => new Tally()), "tally");
        tally.Tell(5);

        tally.Tell(Kill.Instance);

        await ExpectKillWarningAsync(warnings);
        tally.Tell(Tally.Get);
        await ExpectMsgAsync(5, Patience, "the tally's total after the kill");
    }

    [Fact]
    public async Task Any_other_failure_must_still_restart_the_actor()
    {
        var tally = Sys.ActorOf(Props.Create(() => new Tally()), "tally");
        tally.Tell(5);

        await EventFilter.Exception<InvalidOperationException>().ExpectOneAsync(() =>
        {
            tally.Tell(Tally.Fail);
            return Task.CompletedTask;
        });

        tally.Tell(Tally.Get);
        await ExpectMsgAsync(0, Patience, "the total of the restarted tally");
    }

    [Fact]
    public async Task A_kill_from_a_peer_must_pass_untrusted_mode_and_stop_the_actor_only_under_the_default_strategy()
    {
        var peer = Node("peer", Config.Empty);
        var defended = Node("defended", KillResistantGuardian.Hocon);
        var exposed = Node("exposed", Config.Empty);
        var warnings = WarningsOf(defended);
        var watcher = CreateTestProbe(exposed);
        var tallies = new[] { defended, exposed }.ToDictionary(node => node, node => node.ActorOf(Props.Create(() => new Tally()), "tally"));
        watcher.Watch(tallies[exposed]);

        foreach (var (node, tally) in tallies)
        {
            tally.Tell(5);
            var path = new RootActorPath(((ExtendedActorSystem)node).Provider.DefaultAddress) / "user" / "tally";
            peer.ActorSelection(path).Tell(Kill.Instance);
        }

        // Akka's own behaviour, which the strategy exists to prevent: the kill passes untrusted mode.
        await watcher.ExpectTerminatedAsync(tallies[exposed], Patience);
        await ExpectKillWarningAsync(warnings);
        var asker = CreateTestProbe(defended);
        tallies[defended].Tell(Tally.Get, asker.Ref);
        await asker.ExpectMsgAsync(5, Patience, "the defended tally's total after a peer's kill");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (var node in _nodes) await node.Terminate().WaitAsync(Patience);
    }

    private ActorSystem Node(string name, Config strategy)
    {
        var node = ActorSystem.Create(name, strategy.WithFallback(UntrustedNode));
        _nodes.Add(node);
        return node;
    }

    private TestProbe WarningsOf(ActorSystem system)
    {
        var probe = CreateTestProbe(system);
        system.EventStream.Subscribe(probe.Ref, typeof(Warning));
        return probe;
    }

    private static async Task ExpectKillWarningAsync(TestProbe warnings)
    {
        var warning = await warnings.FishForMessageAsync<Warning>(w => w.Cause is ActorKilledException, Patience, "a warning that /user/tally was killed and resumed");
        Assert.EndsWith("/user/tally", warning.LogSource);
    }

    /// <summary>A running total: adds the numbers it is sent, answers <see cref="Get"/>, throws on <see cref="Fail"/>.</summary>
    private sealed class Tally : ReceiveActor
    {
        public const string Get = "get";
        public const string Fail = "fail";

        private int _total;

        public Tally()
        {
            Receive<int>(n => _total += n);
            Receive<string>(s => s == Get, _ => Sender.Tell(_total));
            Receive<string>(s => s == Fail, _ => throw new InvalidOperationException("asked to fail"));
        }
    }
}
