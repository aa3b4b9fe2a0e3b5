using Actors.Cluster;
using Actors.Configuration;
using Actors.Jobs;
using Actors.Pool;
using Actors.Protocol;
using Actors.Workers;
using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace Actors.IntegrationTests.Cluster;

/// <summary>
/// A member that holds a valid certificate from the cluster's authority — it joined, as any
/// submitter does — turns against the others: it cannot deploy an actor into another member, select
/// anything there but the worker host and the status actor, or stop a member's workers; the pools
/// go on with exact answers. Members in this process, over TLS.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ClusterStrangerSpecs : TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    private readonly TestCertificates _certificates = new();
    private readonly List<ActorSystem> _systems = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var system in Enumerable.Reverse(_systems)) await system.Terminate().WaitAsync(InProcessCluster.Patience);
        _certificates.Dispose();
    }

    [Fact]
    public async Task A_member_with_a_valid_certificate_cannot_deploy_into_another_member_nor_stop_its_workers()
    {
        var seed = Start("seed", ClusterNodeOptions.SeedRole, seed: null);
        var seedAddress = InProcessCluster.AddressOf(seed);
        var worker = Start("worker", ClusterNodeOptions.WorkerRole, seedAddress);
        var submitter = Start("submitter", ClusterNodeOptions.SubmitterRole, seedAddress);
        var insider = Start("insider", ClusterNodeOptions.SubmitterRole, seedAddress);
        await Task.WhenAll(new[] { seed, worker, submitter, insider }.Select(InProcessCluster.UpAsync));
        await using var pool = WorkerPool.Create(submitter, "map");
        await InProcessCluster.RouteesAsync(pool, routees: 2, hosts: 1);
        var workerAddress = InProcessCluster.AddressOf(worker);
        var submitterAddress = InProcessCluster.AddressOf(submitter);
        var probe = CreateTestProbe(insider);

        // Deploying a worker into another member: a deployed worker would answer the probe.
        foreach (var target in new[] { workerAddress, seedAddress, submitterAddress })
            insider.ActorOf(Worker.Props().WithDeploy(new Deploy(new RemoteScope(target)))).Tell(new Probe(7), probe.Ref);
        // Selecting the pool's manager on the submitter: only the host and status paths may be selected.
        insider.ActorSelection(new RootActorPath(submitterAddress) / "user" / "map").Tell(new Identify("manager"), probe.Ref);
        // Stopping the worker member's workers through the one path pools select.
        var workers = new RootActorPath(workerAddress) / "user" / "workers";
        insider.ActorSelection(workers).Tell(Kill.Instance);
        insider.ActorSelection(workers / "*").Tell(Kill.Instance);
        insider.ActorSelection(workers / "*").Tell(PoisonPill.Instance);

        var replies = await probe.ReceiveWhileAsync(Quiet, message => message).ToListAsync();
        var squares = await pool.MapAsync(new SquareJob(), Enumerable.Range(0, 1000).Select(i => (long)i)).WaitAsync(InProcessCluster.Patience);
        var status = await pool.GetStatusAsync();

        Assert.All(replies, reply => Assert.True(reply is ActorIdentity { Subject: null }, $"the insider got through: {reply}"));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i * i), squares);
        Assert.Equal((2, 1), (status.Routees, status.Hosts));
        Assert.Equal(2L, InProcessCluster.Activity(worker).Workers);
    }

    private ActorSystem Start(string name, string role, Address? seed)
    {
        var config = ActorsConfig.Load(new ConfigOptions
        {
            Mode = "cluster",
            Overrides = [_certificates.Identity(name), "akka.loglevel = WARNING"],
        });
        var system = ClusterNode.CreateSystem(ClusterNode.NodeConfig(new ClusterNodeOptions { Role = role }, config));
        _systems.Add(system);
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.Join(seed ?? cluster.SelfAddress);
        return system;
    }
}
