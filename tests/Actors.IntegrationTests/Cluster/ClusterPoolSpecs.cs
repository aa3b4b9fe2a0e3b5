using Actors.Cluster;
using Actors.Jobs;
using Actors.Pool;
using Akka.Actor;

namespace Actors.IntegrationTests.Cluster;

/// <summary>
/// A pool in cluster mode over members that are actor systems of this process: routing onto worker
/// members, a member leaving, joining and being downed mid-map. A gated job keeps chunks running
/// until the spec has changed the membership, so what each member held at that moment is known.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ClusterPoolSpecs : IAsyncLifetime
{
    private static readonly long[] Forty = Enumerable.Range(0, 40).Select(i => (long)i).ToArray();
    private readonly InProcessCluster _cluster = new();

    public Task InitializeAsync()
    {
        GatedJob.Close();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_seed_and_two_workers_map_100000_inputs_with_workers_on_both()
    {
        _cluster.StartSeed();
        var (first, second) = (_cluster.StartWorker(), _cluster.StartWorker());
        var submitter = _cluster.StartSubmitter();
        await using var pool = WorkerPool.Create(submitter, "map");
        await InProcessCluster.RouteesAsync(pool, routees: 4, hosts: 2);

        var squares = await pool.MapAsync(new SquareJob(), Enumerable.Range(0, 100_000).Select(i => (long)i));

        Assert.Equal(Enumerable.Range(0, 100_000).Select(i => (long)i * i), squares);
        Assert.Equal(333_328_333_350_000L, squares.Sum());
        Assert.True(InProcessCluster.Activity(first).ChunksDone > 0, "the first worker member ran no chunk");
        Assert.True(InProcessCluster.Activity(second).ChunksDone > 0, "the second worker member ran no chunk");
        Assert.Equal(0, InProcessCluster.Activity(submitter).ChunksDone); // allow-local-routees = off
    }

    [Fact]
    public async Task A_worker_that_leaves_mid_map_has_its_chunks_run_elsewhere_uncharged_and_nothing_twice()
    {
        _cluster.StartSeed();
        var (staying, leaving) = (_cluster.StartWorker(), _cluster.StartWorker());
        var submitter = _cluster.StartSubmitter();
        await using var pool = WorkerPool.Create(submitter, "map");
        await InProcessCluster.RouteesAsync(pool, routees: 4, hosts: 2);

        // One try per input: a chunk charged for the leave would fail the map.
        var map = pool.MapAsync(new GatedJob(), Forty, new MapOptions { ChunkSize = 1, MaxAttempts = 1 });
        await InProcessCluster.UntilAsync(() => Task.FromResult(InProcessCluster.Activity(leaving).ChunksRunning == 2), "both workers of the leaving member running a chunk");
        var retriesBefore = (await pool.GetStatusAsync()).Retries;
        Akka.Cluster.Cluster.Get(leaving).Leave(InProcessCluster.AddressOf(leaving));
        await InProcessCluster.RouteesAsync(pool, routees: 2, hosts: 1);
        GatedJob.Open();

        var outputs = await map.WaitAsync(InProcessCluster.Patience);

        Assert.Equal(Forty.Select(x => 3 * x + 1), outputs);
        // The leaving member held two running and two waiting chunks: all four went back to the queue.
        Assert.True((await pool.GetStatusAsync()).Retries - retriesBefore >= 4, "the leaving member's chunks were not queued again");
    }

    [Fact]
    public async Task A_worker_that_joins_mid_map_takes_work()
    {
        _cluster.StartSeed();
        var first = _cluster.StartWorker();
        var submitter = _cluster.StartSubmitter();
        await using var pool = WorkerPool.Create(submitter, "map");
        await InProcessCluster.RouteesAsync(pool, routees: 2, hosts: 1);
        var map = pool.MapAsync(new GatedJob(), Forty, new MapOptions { ChunkSize = 1 });
        await InProcessCluster.UntilAsync(() => Task.FromResult(InProcessCluster.Activity(first).ChunksRunning == 2), "both workers of the first member running a chunk");

        var joining = _cluster.StartWorker();
        await InProcessCluster.UntilAsync(() => Task.FromResult(InProcessCluster.Activity(joining).ChunksRunning == 2), "both workers of the member that joined running a chunk");
        GatedJob.Open();
        var outputs = await map.WaitAsync(InProcessCluster.Patience);

        Assert.Equal(Forty.Select(x => 3 * x + 1), outputs);
        Assert.True(InProcessCluster.Activity(joining).ChunksDone >= 2, "the member that joined finished no chunk");
    }

    [Fact]
    public async Task A_downed_worker_is_charged_only_the_chunks_it_was_running_and_the_rest_run_elsewhere()
    {
        _cluster.StartSeed();
        var (staying, downed) = (_cluster.StartWorker(), _cluster.StartWorker());
        var submitter = _cluster.StartSubmitter();
        await using var pool = WorkerPool.Create(submitter, "map");
        await InProcessCluster.RouteesAsync(pool, routees: 4, hosts: 2);
        var map = pool.MapOutcomesAsync(new GatedJob(), Forty, new MapOptions { ChunkSize = 1, MaxAttempts = 1 });
        await InProcessCluster.UntilAsync(() => Task.FromResult(InProcessCluster.Activity(downed).ChunksRunning == 2), "both workers of the member to down running a chunk");

        Akka.Cluster.Cluster.Get(submitter).Down(InProcessCluster.AddressOf(downed));
        await InProcessCluster.RouteesAsync(pool, routees: 2, hosts: 1);
        GatedJob.Open();
        var outcomes = await map.WaitAsync(InProcessCluster.Patience);

        // Its two workers were running one chunk each (charged: with one try, those inputs fail);
        // the chunk waiting behind each went back to the queue uncharged and ran on the other member.
        var failures = outcomes.Where(outcome => !outcome.Succeeded).Select(outcome => outcome.Failure!).ToArray();
        Assert.Equal(2, failures.Length);
        Assert.All(failures, failure =>
        {
            Assert.Equal("WorkerLost", failure.ErrorType);
            Assert.Contains($"member {InProcessCluster.AddressOf(downed)} was downed", failure.Message, StringComparison.Ordinal);
        });
        Assert.All(outcomes.Where(outcome => outcome.Succeeded), outcome => Assert.Equal(3 * outcome.Index + 1, outcome.Value));
        Assert.Equal(Forty.Length, outcomes.Length);
    }

    [Fact]
    public async Task A_pool_without_worker_members_fails_what_waits_after_wait_for_workers_and_serves_once_one_joins()
    {
        _cluster.StartSeed();
        var submitter = _cluster.StartSubmitter("actors.cluster.wait-for-workers = 2s");
        await using var pool = WorkerPool.Create(submitter, "map");

        var failed = await Assert.ThrowsAsync<PoolTaskException>(() => pool.MapAsync(new SquareJob(), Forty).WaitAsync(InProcessCluster.Patience));
        _cluster.StartWorker();
        await InProcessCluster.RouteesAsync(pool, routees: 2, hosts: 1);
        var squares = await pool.MapAsync(new SquareJob(), Forty).WaitAsync(InProcessCluster.Patience);

        Assert.Contains("did not become a cluster member with worker members within 00:00:02", failed.Message, StringComparison.Ordinal);
        Assert.Equal(Forty.Select(x => x * x), squares);
    }

    [Fact]
    public async Task Cluster_status_lists_every_member_its_workers_and_the_pools_submitting_work()
    {
        var seed = _cluster.StartSeed();
        _cluster.StartWorker();
        var submitter = _cluster.StartSubmitter();
        await using var pool = WorkerPool.Create(submitter, "map");
        await InProcessCluster.RouteesAsync(pool, routees: 2, hosts: 1);
        await pool.MapAsync(new SquareJob(), Enumerable.Range(0, 1000).Select(i => (long)i));

        // Gossip reaches every member within a few rounds: the seed may see the others Up a moment after they are;
        // the pool's gauges are written on the manager's tick, so its row may lag the status it answered a moment ago.
        ClusterSnapshot snapshot = null!;
        await InProcessCluster.UntilAsync(async () =>
        {
            snapshot = await ClusterSnapshot.TakeAsync(submitter, [InProcessCluster.AddressOf(seed)], TimeSpan.FromSeconds(10), CancellationToken.None);
            return snapshot.Members.Count == 3 && snapshot.Members.All(member => member.Status == "Up")
                && snapshot.Pools.Count == 1 && snapshot.Pools[0].Pool.Routees == 2;
        }, "the seed seeing its three members Up, and the submitter's pool with its 2 routees");

        Assert.Equal(InProcessCluster.AddressOf(seed).ToString(), snapshot.Contact);
        Assert.Equal(["seed", "submitter", "worker"], snapshot.Members.SelectMany(member => member.Roles).Order());
        Assert.All(snapshot.Members, member => Assert.Equal(("Up", true, Environment.ProcessId), (member.Status, member.Reachable, member.Pid)));
        var worker = snapshot.Members.Single(member => member.Roles.Contains("worker"));
        Assert.Equal((2L, 1000L), (worker.Workers!.Workers, worker.Workers.InputsDone));
        var map = Assert.Single(snapshot.Pools);
        Assert.Equal((InProcessCluster.AddressOf(submitter).ToString(), "map", 2, 1), (map.Member, map.Pool.Name, map.Pool.Routees, map.Pool.Hosts));
    }
}
