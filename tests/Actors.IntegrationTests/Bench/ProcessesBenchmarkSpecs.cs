using Akka.Configuration;
using Actors.Cli.Bench;
using Actors.Pool;
using Akka.Actor;
using Akka.Routing;
using Akka.TestKit.Xunit2;

namespace Actors.IntegrationTests.Bench;

/// <summary>
/// The competitors of <c>actors bench processes</c> at a small size, over real worker processes:
/// each computes what it must (the harness checks every run), and the targets the README quotes are reported.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ProcessesBenchmarkSpecs() : TestKit(ProcessPool.Tls.Setup(ProcessPool.Config(2)))
{
    [Fact]
    public async Task Every_competitor_must_deliver_checked_results_and_the_targets_be_reported()
    {
        ProcessPool.Tls.Attach(Sys);
        var plain = ActorSystem.Create("bench-plain", ProcessPool.Config(2, "actors.security.tls.enabled = off"));
        var pools = new List<WorkerPool>();
        WorkerPool Pool(ActorSystem system, string name, int processes)
        {
            var section = ConfigurationFactory.ParseString($"processes.count = {processes}").WithFallback(system.Settings.Config.GetConfig(PoolSettings.SectionPath));
            var pool = WorkerPool.Create(system, name, new RoundRobinPool(1), PoolSettings.Create(section));
            pools.Add(pool);
            return pool;
        }

        var startUps = new List<WorkerPool>();
        using var plainFloor = await LoopbackFloor.StartAsync(2, tls: false, CancellationToken.None);
        using var tlsFloor = await LoopbackFloor.StartAsync(2, tls: true, CancellationToken.None);
        await using var remoteFloor = await RemoteFloor.StartAsync(2, CancellationToken.None);
        try
        {
            var set = new ProcessesBenchPools(Pool(Sys, "squares", 2), Pool(plain, "squares", 2), Pool(Sys, "heavy-x1", 1), Pool(Sys, "recovery", 2), () =>
            {
                var pool = WorkerPool.Create(Sys, $"start-up-{startUps.Count}", new RoundRobinPool(1));
                startUps.Add(pool);
                return pool;
            });
            foreach (var pool in pools) await pool.WhenReadyAsync(TimeSpan.FromSeconds(60));
            var plan = ProcessesBenchmark.CreatePlan(set, plainFloor, tlsFloor, remoteFloor, new ProcessesBenchSizes(Squares: 20_000, Singles: 500, HeavyTasks: 8, HeavyInput: 1_000, RecoveryTasks: 200, Submits: 300));

            var outcome = await BenchHarness.RunAsync(plan, rounds: 1, TimeSpan.Zero, progress: null, CancellationToken.None);

            Assert.Equal(plan.Competitors.Count(), outcome.Rows.Count);
            Assert.Contains(outcome.Rows, row => row.Name == ProcessesBenchmark.Headline);
            Assert.Contains(outcome.Rows, row => row.Name == ProcessesBenchmark.RawBulkTls);
            Assert.Contains(outcome.Rows, row => row.Name == ProcessesBenchmark.Recovery);
            // Against both floors, and Python's two maps when python3 is here; the CPU-heavy speed-up always.
            var targets = ProcessesBenchmark.DescribeTargets(outcome).ToList();
            Assert.Contains(targets, line => line.Contains("speed-up", StringComparison.Ordinal));
            Assert.Contains(targets, line => line.Contains(ProcessesBenchmark.RawBulkTls, StringComparison.Ordinal));
            Assert.Contains(targets, line => line.Contains(ProcessesBenchmark.RemoteFloorTls, StringComparison.Ordinal));
            // What listening costs, on the map and on submits.
            Assert.Equal(4, targets.Count(line => line.StartsWith("target: overhead of", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var pool in pools.Concat(startUps)) await pool.DisposeAsync();
            await plain.Terminate();
        }
    }

    [Fact]
    public async Task The_bare_remote_floor_must_square_in_chunks_across_processes_over_TLS()
    {
        await using var floor = await RemoteFloor.StartAsync(2, CancellationToken.None);
        var inputs = Enumerable.Range(0, 100_001).Select(i => (long)i).ToArray();
        var outputs = new long[inputs.Length];

        Assert.True(await floor.SquareAsync(inputs, outputs) > 0);

        Assert.Equal(inputs.Select(i => i * i), outputs);
        Assert.True(floor.ChunkSizeFor(inputs.Length) < inputs.Length / 2, "the inputs must travel in several chunks per child");
    }

    [Fact]
    public async Task The_loopback_floors_must_square_over_plain_sockets_and_over_TLS()
    {
        foreach (var tls in new[] { false, true })
        {
            using var floor = await LoopbackFloor.StartAsync(2, tls, CancellationToken.None);
            var inputs = Enumerable.Range(0, 100_001).Select(i => (long)i).ToArray();
            var bulk = new long[inputs.Length];
            var requests = new long[101];

            Assert.True(floor.Bulk(inputs, bulk) > 0);
            Assert.True(floor.RequestResponse(inputs[..101], requests) > 0);

            Assert.Equal(inputs.Select(i => i * i), bulk);
            Assert.Equal(inputs[..101].Select(i => i * i), requests);
        }
    }
}
