using Actors.Cli.Bench;

namespace Actors.IntegrationTests.Bench;

/// <summary>
/// Every competitor of <c>actors bench state</c> at a small size, through the harness: in process,
/// across two real client processes over TLS, across two DistributedData cluster nodes, and Python's
/// three when <c>python3</c> is here. The harness checks each run's counter after its clock stopped
/// (a wrong one throws); the spec checks that every competitor ran at the size it was given.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class StateBenchmarkSpecs
{
    private static readonly StateBenchSizes Small = new(Increments: 10_000, ClientIncrements: 1_000, ManagerIncrements: 200, LocalWrites: 200, MajorityWrites: 50);

    [Fact]
    public async Task Every_competitor_must_count_every_increment_and_the_ratios_be_reported()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var outcome = await StateBenchmark.RunAsync(Small, rounds: 1, TimeSpan.Zero, progress: null, deadline.Token);

        var python = PythonRunner.FindPython() is not null;
        var expected = new Dictionary<string, long>
        {
            [StateBenchmark.Baseline] = 20_000,
            [StateBenchmark.Interlocked] = 20_000,
            [StateBenchmark.Actor] = 20_000,
            [StateBenchmark.Unguarded] = 20_000,
            [StateBenchmark.RemoteActor] = 2_000,
            [StateBenchmark.DataLocal] = 400,
            [StateBenchmark.DataMajority] = 100,
        };
        if (python)
        {
            expected[StateBenchmark.PythonThreads] = 20_000;
            expected[StateBenchmark.PythonValue] = 2_000;
            expected[StateBenchmark.PythonManager] = 400;
        }
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), outcome.Rows.Select(r => KeyValuePair.Create(r.Name, r.Items)).OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal(3, outcome.Rows.Select(row => row.Group).Distinct().Count());
        Assert.All(outcome.Rows, row => Assert.Single(row.Seconds));
        Assert.Contains(outcome.Notes, note => note.Contains("lost", StringComparison.Ordinal) && note.Contains("of 20,000 updates", StringComparison.Ordinal) && note.Contains("over 2 runs", StringComparison.Ordinal));
        Assert.Equal(python ? 0 : 3, StateBenchmark.DescribeTargets(outcome).Count(line => line.EndsWith("not measured", StringComparison.Ordinal)));
    }
}
