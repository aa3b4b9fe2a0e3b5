using Actors.Cli.Bench;

namespace Actors.IntegrationTests.Bench;

/// <summary>
/// <c>actors bench cluster</c> at a small size over real node processes: the throughput group on
/// the harness (two clusters, TLS and plain, and a pool of worker processes, each run's squares
/// checked), and one failure run (a worker node killed mid-map, the map checked, its phases reported).
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ClusterBenchmarkSpecs
{
    [Fact]
    public async Task Every_throughput_competitor_must_map_the_squares_with_a_checked_sum()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));

        var outcome = await ClusterBenchmark.ThroughputAsync(20_000, rounds: 1, TimeSpan.Zero, progress: null, deadline.Token);

        string[] competitors = [ClusterBenchmark.Baseline, ClusterBenchmark.ClusterTls, ClusterBenchmark.ClusterPlain];
        Assert.Equal(competitors, outcome.Rows.Select(row => row.Name));
        Assert.All(outcome.Rows, row =>
        {
            Assert.Equal(20_000, row.Items);
            Assert.Single(row.Seconds);
        });
        var lines = ClusterBenchmark.Describe(outcome).ToList();
        Assert.Contains(lines, line => line.StartsWith("target: " + ClusterBenchmark.ClusterTls, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("settled: ", StringComparison.Ordinal) && line.EndsWith("in 1 of 1 rounds run side by side", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains(ClusterBenchmark.ClusterTls, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains(ClusterBenchmark.ClusterPlain, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_killed_worker_node_whose_parent_reports_its_exit_must_cost_a_checked_map_its_detection_and_downing()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var timings = await ClusterFailureRuns.RunAsync("SIGKILL supervised", "KILL", sleeps: 100, deadline.Token, supervised: true);

        // Causal order only, no timing threshold: the map cannot end before the victim's chunks were queued again.
        // A killed node is downed as soon as its port refuses (DeadMemberDowner), often before it is ever unreachable: then Downed is 0.
        Assert.True(timings.CleanMap > 0 && timings.Unreachable > 0 && timings.Downed >= 0 && timings.Requeued > 0, timings.ToString());
        Assert.True(timings.Done >= timings.Requeued, timings.ToString());
        var rows = ClusterBenchmark.FailureRows("SIGKILL supervised", 100, [timings]).ToList();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, row => Assert.Equal(ClusterBenchmark.CleanMap("SIGKILL supervised"), row.Baseline));
        var outcome = new BenchOutcome("cluster", "cluster", BenchEnvironment.Capture(), 1, [], rows);
        Assert.Contains(ClusterBenchmark.Describe(outcome), line => line.StartsWith("side: SIGKILL supervised of a worker node mid-map", StringComparison.Ordinal));
    }
}
