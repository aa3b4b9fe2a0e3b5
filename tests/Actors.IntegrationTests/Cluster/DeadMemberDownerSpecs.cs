using Actors.Cluster;
using Akka.Actor;
using Akka.Cluster;

namespace Actors.IntegrationTests.Cluster;

/// <summary>
/// A member whose process is gone is downed at once by the members that find its port refusing
/// connections, not after the failure detector and the resolver: with a detector that would wait
/// two minutes, a worker node killed with SIGKILL is still downed within the spec's patience.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class DeadMemberDownerSpecs : IAsyncLifetime
{
    /// <summary>A detector too patient to decide within the spec: only the downer can down the killed node in time.</summary>
    private static readonly string[] PatientDetector = ["akka.cluster.failure-detector.acceptable-heartbeat-pause = 120s"];

    private readonly ClusterProcesses _cluster = new();
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public DeadMemberDownerSpecs(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_worker_node_killed_with_sigkill_is_downed_because_its_port_refuses_connections()
    {
        var (_, seed) = await _cluster.StartNodeAsync("seed", ClusterNodeOptions.SeedRole, [], settings: PatientDetector);
        var (victim, victimAddress) = await _cluster.StartNodeAsync("worker-1", ClusterNodeOptions.WorkerRole, [seed], settings: PatientDetector);
        await _cluster.StartNodeAsync("worker-2", ClusterNodeOptions.WorkerRole, [seed], settings: PatientDetector);
        var submitter = _cluster.StartSubmitter(seed, PatientDetector);
        var cluster = Akka.Cluster.Cluster.Get(submitter);
        var target = Address.Parse(victimAddress);
        await InProcessCluster.UntilAsync(() => Task.FromResult(cluster.State.Members.Count(member => member.Status == MemberStatus.Up) == 4), "four members up");

        ProcessPool.Kill(victim.Pid);

        var killed = System.Diagnostics.Stopwatch.StartNew();

        // Downed, not yet removed: removal waits for every member that is not unreachable to have
        // seen the verdict, and the dead one is not unreachable until the (patient) detector says so.
        await InProcessCluster.UntilAsync(() => Task.FromResult(cluster.State.Members.Any(member => member.Address == target && member.Status == MemberStatus.Down)),
            "the killed worker node downed, with a failure detector that would take two minutes");
        _output.WriteLine($"downed {killed.Elapsed.TotalSeconds:0.00} s after SIGKILL (not a bound: printed for the record)");
    }

    /// <summary>Neither the detector nor Akka's reconnection (gated two minutes after a failure) finds a dead member in time: only a report can.</summary>
    private static readonly string[] PatientDetectorAndGate = [.. PatientDetector, "akka.remote.retry-gate-closed-for = 120s"];

    [Fact]
    public async Task A_member_reported_exited_is_downed_with_the_reason_once_its_port_refuses_and_a_live_one_reported_is_not()
    {
        var (_, seed) = await _cluster.StartNodeAsync("seed", ClusterNodeOptions.SeedRole, [], settings: PatientDetectorAndGate);
        var (victim, victimAddress) = await _cluster.StartNodeAsync("worker-1", ClusterNodeOptions.WorkerRole, [seed], settings: PatientDetectorAndGate);
        var (_, liveAddress) = await _cluster.StartNodeAsync("worker-2", ClusterNodeOptions.WorkerRole, [seed], settings: PatientDetectorAndGate);
        var observer = _cluster.StartObserver(seed);
        var seedStatus = observer.ActorSelection(NodeStatusActor.PathAt(Address.Parse(seed)));
        await InProcessCluster.UntilAsync(async () => (await seedStatus.Ask<NodeStatus>(GetNodeStatus.Instance, Patience)).Members.Count(m => m.Status == "Up") == 3,
            "three members up, as the seed sees them");

        var live = await seedStatus.Ask<ExitedMemberNoted>(new DownExitedMember(liveAddress, "process exited (a false report)"), Patience);
        ProcessPool.Kill(victim.Pid);
        await victim.WaitForExitAsync(Patience);
        var dead = await seedStatus.Ask<ExitedMemberNoted>(new DownExitedMember(victimAddress, "process exited (pid 1, code 137; seen by the spec)"), Patience);

        Assert.False(live.Downed, live.Detail);
        Assert.Contains("did not refuse", live.Detail, StringComparison.Ordinal);
        Assert.True(dead.Downed, dead.Detail);
        // The verdict is given at once; the seed's own view of the membership takes it in a moment later.
        NodeStatus status = null!;
        await InProcessCluster.UntilAsync(async () =>
        {
            status = await seedStatus.Ask<NodeStatus>(GetNodeStatus.Instance, Patience);
            return status.Members.Any(m => m.Address == victimAddress && m.Status is "Down" or "Removed");
        }, "the seed's status showing the reported member down");
        var member = Assert.Single(status.Members, m => m.Address == victimAddress);
        Assert.Contains("process exited (pid 1, code 137; seen by the spec)", member.Reason, StringComparison.Ordinal);
        Assert.Equal("Up", Assert.Single(status.Members, m => m.Address == liveAddress).Status);
    }

    private static readonly TimeSpan Patience = ClusterProcesses.Patience;
}
