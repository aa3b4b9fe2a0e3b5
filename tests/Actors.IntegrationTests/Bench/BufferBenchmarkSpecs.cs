using Actors.Cli.Bench;
using Akka.TestKit.Xunit2;

namespace Actors.IntegrationTests.Bench;

/// <summary>
/// The competitors of <c>actors bench buffer</c> at a small size: every one, the course's Python
/// program too when <c>python3</c> is here (a process of its own), moves 0 … N-1 and the harness
/// checks the count and sum each run received.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class BufferBenchmarkSpecs() : TestKit("akka.loglevel = WARNING")
{
    [Fact]
    public async Task Every_competitor_must_deliver_each_item_once_with_a_checked_count_and_sum()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var plan = BufferBenchmark.CreatePlan(Sys, items: 20_001, pythonItems: 5_000); // odd: the batched competitors end with a short batch

        var outcome = await BenchHarness.RunAsync(plan, rounds: 1, TimeSpan.Zero, progress: null, deadline.Token);

        Assert.Equal(plan.Competitors.Select(c => c.Name), outcome.Rows.Select(row => row.Name));
        Assert.Equal(PythonRunner.FindPython() is null ? 10 : 11, outcome.Rows.Count);
        Assert.Contains(outcome.Rows, row => row.Name == BufferBenchmark.Headline);
        Assert.Contains(outcome.Rows, row => row.Name == BufferBenchmark.Baseline);
        Assert.Contains(outcome.Rows, row => row.Name == BufferBenchmark.BatchedBaseline);
        Assert.Contains(outcome.Rows, row => row.Name == BufferBenchFanOut.Baseline);
        Assert.All(outcome.Rows, row => Assert.Equal(row.Name.StartsWith("Python", StringComparison.Ordinal) ? 5_000 : 20_001, row.Items));
        Assert.Single(BufferBenchmark.DescribeTargets(outcome));
    }
}
