using Actors.Cli.Bench;

namespace Actors.IntegrationTests.Bench;

/// <summary>
/// Every row of <c>actors bench state</c> at a small size: in process, across two real client
/// processes over TLS, across two DistributedData cluster nodes, and Python's three when
/// <c>python3</c> is here. The benchmark checks each total itself (a wrong one throws); the spec
/// checks that every row ran at the size it was given.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class StateBenchmarkSpecs
{
    private static readonly StateBenchSizes Small = new(Increments: 10_000, ClientIncrements: 1_000, ManagerIncrements: 200, LocalWrites: 200, MajorityWrites: 50, Rounds: 1, WarmUp: TimeSpan.Zero);

    [Fact]
    public async Task Every_row_must_count_every_increment_and_the_ratios_be_reported()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var results = await StateBenchmark.MeasureAsync(Small, deadline.Token);

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
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), results.Select(r => KeyValuePair.Create(r.Name, r.Items)).OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.All(results, result => Assert.True(result.Seconds > 0, $"{result.Name} took no time"));
        var lines = StateBenchmark.Describe(results).ToList();
        Assert.Contains(lines, line => line.Contains("lost", StringComparison.Ordinal) && line.Contains("of 20,000 updates", StringComparison.Ordinal));
        Assert.Equal(python ? 0 : 3, lines.Count(line => line.EndsWith("not measured", StringComparison.Ordinal)));
    }
}
