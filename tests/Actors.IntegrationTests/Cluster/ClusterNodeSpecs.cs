using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Actors.Cluster;
using Actors.Jobs;
using Actors.Pool;
using Actors.Protocol;
using Actors.Security;
using Akka.Actor;

namespace Actors.IntegrationTests.Cluster;

/// <summary>
/// Cluster nodes as real <c>actors node</c> processes over TLS: a worker node killed with SIGKILL
/// or stopped with SIGTERM in the middle of a map, and a node whose certificate another authority
/// issued. The map's caller is a member in this test process.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class ClusterNodeSpecs : IAsyncLifetime
{
    /// <summary>Simulated I/O of 30 ms per input, two per chunk: long enough for a node to die mid-map on four workers.</summary>
    private static readonly long[] Inputs = Enumerable.Repeat(30L, 600).ToArray();

    private readonly ClusterProcesses _cluster = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_worker_node_killed_with_sigkill_mid_map_is_downed_and_every_input_still_has_one_outcome()
    {
        var (pool, victim, _) = await StartAsync();
        var outcomes = new ConcurrentDictionary<long, int>();
        var pids = new ConcurrentDictionary<int, byte>();

        var map = CollectAsync(pool, outcomes, pids, maxAttempts: 3);
        await InProcessCluster.UntilAsync(() => Task.FromResult(pids.ContainsKey(victim.Pid)), $"node {victim.Pid} finishing a chunk before it is killed");
        ProcessPool.Kill(victim.Pid);
        await map.WaitAsync(ClusterProcesses.Patience * 2);

        Assert.Equal(Inputs.Length, outcomes.Count);
        Assert.All(outcomes, outcome => Assert.Equal(1, outcome.Value));
        var status = await pool.GetStatusAsync();
        Assert.Equal((2, 1), (status.Routees, status.Hosts)); // the downed node's workers are gone
        Assert.True(status.Retries > 0, "the killed node's chunks were not run again");
    }

    [Fact]
    public async Task A_worker_node_stopped_with_sigterm_mid_map_leaves_in_order_and_nothing_it_held_is_charged()
    {
        var (pool, victim, _) = await StartAsync();
        var outcomes = new ConcurrentDictionary<long, int>();
        var pids = new ConcurrentDictionary<int, byte>();

        // One try per input: a chunk charged for the leave would fail.
        var map = CollectAsync(pool, outcomes, pids, maxAttempts: 1);
        await InProcessCluster.UntilAsync(() => Task.FromResult(pids.ContainsKey(victim.Pid)), $"node {victim.Pid} finishing a chunk before it is stopped");
        victim.Signal("TERM");
        await map.WaitAsync(ClusterProcesses.Patience * 2);

        Assert.Equal(Inputs.Length, outcomes.Count);
        Assert.All(outcomes, outcome => Assert.Equal(1, outcome.Value));
        Assert.Equal(0, await victim.WaitForExitAsync(ClusterProcesses.Patience));
        Assert.Contains("left the cluster", victim.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_whose_certificate_another_authority_issued_never_becomes_a_member_and_both_logs_say_why()
    {
        var (seed, seedAddress) = await _cluster.StartNodeAsync("seed", ClusterNodeOptions.SeedRole, []);
        using var otherAuthority = CertificateFactory.CreateAuthority("other CA", TimeSpan.FromDays(1));
        // Each kind of refusal written once an hour, a join timeout that says why each 2 s (the first
        // reminder may come before any refusal on a loaded machine), and a join tried again each
        // second (not each 5 s) so that three tries take seconds.
        var (outsider, _) = await _cluster.StartNodeAsync("outsider", ClusterNodeOptions.WorkerRole, [seedAddress], otherAuthority,
            settings: ["actors.security.tls.refusal-log-interval = 1h", "actors.cluster.join-timeout = 2s", "akka.cluster.seed-node-timeout = 1s"]);
        var observer = _cluster.StartObserver(seedAddress);

        try
        {
            // The outsider's own handshake failure is logged when Akka gives up on the connection, a moment after the refusal.
            await InProcessCluster.UntilAsync(() => Task.FromResult(outsider.Stderr.Contains("Couldn't join seed nodes after [3] attempts", StringComparison.Ordinal)
                    && JoinTimedOutOnRefusal().IsMatch(outsider.Stderr) && outsider.Stderr.Contains("not a member after 00:00:04", StringComparison.Ordinal) && seed.Stderr.Contains("Refused TLS peer", StringComparison.Ordinal)
                    && outsider.Stderr.Contains("Client-side TLS troubleshooting", StringComparison.Ordinal)),
                "both sides refusing each other's certificate, the outsider trying three times, its handshake failing and its join timing out on the refusal, said again after 4 s");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\noutsider:\n{outsider.Stderr}\nseed:\n{seed.Stderr}", e);
        }
        var snapshot = await ClusterSnapshot.TakeAsync(observer, [Address.Parse(seedAddress)], TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Contains("was not issued by CN=cluster spec CA", seed.Stderr, StringComparison.Ordinal);
        Assert.Contains("was not issued by CN=other CA", outsider.Stderr, StringComparison.Ordinal);
        Assert.Equal([seedAddress], snapshot.Members.Select(member => member.Address));
        Assert.DoesNotContain("member up", outsider.Stdout, StringComparison.Ordinal);
        Assert.Matches("not a member after 00:00:02 \\(actors.cluster.join-timeout\\)", outsider.Stderr);
        // Three tries, each refused: every kind of refusal written once, not once a try.
        Assert.Equal((1, 1), (Count(outsider.Stderr, "[warning] Refused TLS peer"), Count(outsider.Stderr, "Client-side TLS troubleshooting")));
    }

    [Fact]
    public async Task A_worker_node_whose_job_hangs_exits_with_1_once_terminate_timeout_has_passed_after_it_left()
    {
        var node = await StartWithHangingJobAsync("actors.cluster.terminate-timeout = 1s");

        node.Signal("TERM");

        Assert.Equal(1, await node.WaitForExitAsync(ClusterProcesses.Patience));
        Assert.Contains("leaving the cluster", node.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("left the cluster", node.Stdout, StringComparison.Ordinal);
        Assert.Contains("actor system did not terminate within 00:00:01 (actors.cluster.terminate-timeout)", node.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_sigterm_ends_a_node_whose_orderly_stop_hangs()
    {
        var node = await StartWithHangingJobAsync("actors.cluster.terminate-timeout = 1h");

        node.Signal("TERM");
        await node.OutputAsync(line => line.StartsWith("leaving the cluster", StringComparison.Ordinal) ? line : null, "that it is leaving", ClusterProcesses.Patience);
        node.Signal("TERM");

        Assert.Equal(143, await node.WaitForExitAsync(ClusterProcesses.Patience)); // 128 + SIGTERM, as a shell reports a death by it
        Assert.Contains("SIGTERM again: exiting without waiting for the orderly stop", node.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("left the cluster", node.Stdout, StringComparison.Ordinal);
    }

    /// <summary>A seed and a worker node that runs the test jobs, with <paramref name="settings"/>, once a job that never returns runs on it.</summary>
    private async Task<CliRunner> StartWithHangingJobAsync(params string[] settings)
    {
        var (_, seed) = await _cluster.StartNodeAsync("seed", ClusterNodeOptions.SeedRole, []);
        var (node, _) = await _cluster.StartNodeAsync("worker-1", ClusterNodeOptions.WorkerRole, [seed],
            settings: settings, options: [WorkerHostArguments.AssemblyOption, typeof(HangingJob).Assembly.Location]);
        var pool = WorkerPool.Create(_cluster.StartSubmitter(seed), "map");
        await InProcessCluster.RouteesAsync(pool, routees: 2, hosts: 1);
        var running = Path.Combine(Path.GetTempPath(), $"hanging-job-{Guid.NewGuid():N}");
        try
        {
            _ = pool.SubmitAsync(new HangingJob(), running); // never ends: the node is stopped under it
            await InProcessCluster.UntilAsync(() => Task.FromResult(File.Exists(running)), $"the hanging job running on node {node.Pid}");
        }
        finally
        {
            File.Delete(running);
        }
        return node;
    }

    /// <summary>A seed and two worker nodes as processes, a member in this process, and its pool with two workers on each node.</summary>
    private async Task<(WorkerPool Pool, CliRunner Victim, CliRunner Survivor)> StartAsync()
    {
        var (_, seed) = await _cluster.StartNodeAsync("seed", ClusterNodeOptions.SeedRole, []);
        var (victim, _) = await _cluster.StartNodeAsync("worker-1", ClusterNodeOptions.WorkerRole, [seed]);
        var (survivor, _) = await _cluster.StartNodeAsync("worker-2", ClusterNodeOptions.WorkerRole, [seed]);
        var submitter = _cluster.StartSubmitter(seed);
        var pool = WorkerPool.Create(submitter, "map");
        await InProcessCluster.RouteesAsync(pool, routees: 4, hosts: 2);
        return (pool, victim, survivor);
    }

    /// <summary>Maps <see cref="Inputs"/>, counting each index's outcomes and the processes that ran them; every outcome must be a success.</summary>
    private static async Task CollectAsync(WorkerPool pool, ConcurrentDictionary<long, int> outcomes, ConcurrentDictionary<int, byte> pids, int maxAttempts)
    {
        var options = new MapOptions
        {
            ChunkSize = 2,
            MaxAttempts = maxAttempts,
            Progress = new Inline<MapProgress>(progress => { foreach (var pid in progress.Pids) pids.TryAdd(pid, 0); }),
        };
        await foreach (var outcome in pool.MapUnorderedAsync(new SleepJob(), Inputs, options))
        {
            Assert.True(outcome.Succeeded, $"input #{outcome.Index} failed: {outcome.Failure}");
            Assert.Equal(30L, outcome.Value);
            outcomes.AddOrUpdate(outcome.Index, 1, (_, seen) => seen + 1);
        }
    }

    private static int Count(string text, string part) => text.Split(part).Length - 1;

    /// <summary>A join-timeout reminder that names the refusal of the seed's certificate.</summary>
    [GeneratedRegex("not a member after .*TLS: .*Refused TLS peer .*was not issued by CN=other CA")]
    private static partial Regex JoinTimedOutOnRefusal();

    private sealed class Inline<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
