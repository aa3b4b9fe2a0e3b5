using Actors.Jobs;
using Actors.Pool;
using Actors.Protocol;
using Actors.Security;
using Actors.Workers;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;

namespace Actors.IntegrationTests;

/// <summary>
/// Other processes on the same machine that know a pool's address and a worker node's address
/// (both are easy to learn) try to talk to them: neither a process without the cluster's
/// certificate nor one with it can select the pool's actors, deploy into either, forge a result, or
/// kill the node's workers.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class StrangerSpecs : TestKit, IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    private readonly TestCertificates _certificates = new();
    private readonly List<ActorSystem> _systems = new();

    void IDisposable.Dispose()
    {
        foreach (var system in _systems) system.Terminate().Wait(TimeSpan.FromSeconds(30));
        _certificates.Dispose();
        Dispose();
    }

    [Fact]
    public async Task Neither_a_stranger_nor_a_holder_of_the_clusters_certificate_can_select_deploy_forge_or_kill()
    {
        using var node = CliRunner.Start([.. new WorkerHostArguments { Overrides = [_certificates.Identity("node")] }.ToArguments()]);
        var nodeAddress = Address.Parse(await node.ListeningAddressAsync(TimeSpan.FromSeconds(60)));
        var poolSystem = Track(WireSecurity.CreateSystem("pool-owner", ProcessPool.Config(1,
            "actors.pool.processes.spawn = off", $"actors.pool.processes.nodes = [\"{nodeAddress}\"]", _certificates.Identity("pool"))));
        var poolAddress = ((ExtendedActorSystem)poolSystem).Provider.DefaultAddress;
        await using var pool = WorkerPool.Create(poolSystem, "pool");
        await pool.WhenReadyAsync(TimeSpan.FromMinutes(1));

        var insider = Track(WireSecurity.CreateSystem("insider", ProcessPool.Config(1, _certificates.Identity("insider"))));
        var stranger = Track(TlsPolicy.Ephemeral("stranger").CreateActorSystem("stranger", ProcessPool.Config(1)));
        var plain = Track(ActorSystem.Create("plain", ProcessPool.Config(1, "actors.security.tls.enabled = off")));
        // Each outsider's answers come back to a probe of its own system (a reply cannot reach another one).
        var answers = new[] { insider, stranger, plain }.ToDictionary(system => system, system => CreateTestProbe(system));

        // Selecting the pool's manager by path: only the worker nodes' workers may be selected, and only on nodes.
        foreach (var (outsider, probe) in answers)
        {
            // A plain-TCP process can only name the TLS port under its own protocol.
            var at = outsider == plain ? new Address("akka.tcp", poolAddress.System, poolAddress.Host, poolAddress.Port) : poolAddress;
            outsider.ActorSelection(new RootActorPath(at) / "user" / "pool").Tell(new Identify(outsider.Name), probe.Ref);
        }
        // Deploying a worker into the pool's process or into the node: a deployed worker would answer the probe.
        foreach (var target in new[] { poolAddress, nodeAddress })
            insider.ActorOf(Worker.Props().WithDeploy(new Deploy(new RemoteScope(target)))).Tell(new Probe(7), answers[insider].Ref);
        await Outsiders.AssertNoSubjectAsync(answers.Values, Quiet);

        // Killing the node's workers through the one path it lets a peer select: Kill passes untrusted
        // mode, but the node resumes its killed actors, so they go on serving the pool.
        var workers = new RootActorPath(nodeAddress) / "user" / "workers";
        insider.ActorSelection(workers).Tell(Kill.Instance);
        insider.ActorSelection(workers / "*").Tell(Kill.Instance);

        // Forging results straight to the manager's address: it takes results only from the worker it sent a chunk to.
        var manager = ((ExtendedActorSystem)insider).Provider.ResolveActorRef(new RootActorPath(poolAddress) / "user" / "pool");
        for (long chunk = 1; chunk <= 64; chunk++) manager.Tell(new ChunkCompleted(chunk, new long[] { -1 }, 666), answers[insider].Ref);
        var pids = new HashSet<int>();
        var squares = await pool.MapAsync(new SquareJob(), Enumerable.Range(0, 64).Select(i => (long)i),
            new MapOptions { ChunkSize = 1, Progress = new InlineProgress<MapProgress>(progress => pids.UnionWith(progress.Pids)) });

        Assert.Equal(Enumerable.Range(0, 64).Select(i => (long)i * i), squares);
        Assert.Equal([node.Pid], pids);
        Assert.All(_systems, system => Assert.False(system.WhenTerminated.IsCompleted, $"{system.Name} was shut down"));
    }

    private ActorSystem Track(ActorSystem system)
    {
        _systems.Add(system);
        return system;
    }
}
