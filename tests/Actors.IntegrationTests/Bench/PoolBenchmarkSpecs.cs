using Actors.Cli.Bench;
using Actors.Configuration;
using Actors.Pool;
using Akka.Routing;
using Akka.TestKit.Xunit2;

namespace Actors.IntegrationTests.Bench;

/// <summary>The competitors of <c>actors bench pool</c> at a small size: each computes what it must, and the plan reports what the README quotes.</summary>
public sealed class PoolBenchmarkSpecs() : TestKit(ActorsConfig.Defaults)
{
    [Fact]
    public async Task Every_competitor_must_deliver_checked_squares_and_sums_and_the_targets_be_reported()
    {
        await using var squares = WorkerPool.Create(Sys, "squares", new RoundRobinPool(2));
        await using var one = WorkerPool.Create(Sys, "heavy-one", new RoundRobinPool(1));
        await using var all = WorkerPool.Create(Sys, "heavy-all", new RoundRobinPool(2));
        var plan = PoolBenchmark.CreatePlan(squares, one, all, items: 5_000, heavyTasks: 8, submits: 500);

        var outcome = await BenchHarness.RunAsync(plan, rounds: 1, TimeSpan.Zero, progress: null, CancellationToken.None);

        Assert.Contains(outcome.Rows, row => row.Name == PoolBenchmark.Headline);
        Assert.Contains(outcome.Rows, row => row.Name == PoolBenchmark.Baseline);
        Assert.Contains(outcome.Rows, row => row.Name == PoolBenchmark.HeavyName(1));
        Assert.Equal(plan.Competitors.Count(), outcome.Rows.Count);
        Assert.Contains(outcome.Rows, row => row.Name == PoolBenchmark.SubmitHeadline);
        // Two targets, a third against Python when python3 is here, and what listening costs on the map and on submits.
        Assert.InRange(PoolBenchmark.DescribeTargets(outcome).Count(), 6, 7);
        Assert.Contains(outcome.Rows, row => row.Name == TelemetryOverhead.WithTracing(PoolBenchmark.SubmitHeadline));
    }

    [Fact]
    public void A_square_map_with_a_wrong_output_must_fail_its_check_and_name_the_position()
    {
        var error = Assert.Throws<BenchCheckException>(() => PoolBenchBaselines.Squares("pool", 0.1, [0, 1, 5, 9]));

        Assert.Contains("output #2 is 5, expected 4", error.Message);
    }
}
