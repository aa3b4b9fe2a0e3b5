using Actors.Cli.Bench;

namespace Actors.IntegrationTests.Bench;

/// <summary>
/// Every competitor of <c>actors bench tls</c> at a small size, through the harness: two actor
/// systems over loopback, plain and mutual TLS, connect and exchange. The harness checks the count
/// and sum of every run's answers after its clock stopped (a wrong one throws); the spec checks that
/// every competitor ran at the size it was given, in a group per scenario with plain as its baseline.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class TlsBenchmarkSpecs
{
    [Fact]
    public async Task Every_scenario_must_answer_every_request_over_plain_TCP_and_over_TLS()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var outcome = await TlsBenchmark.RunAsync(new TlsBenchSizes(LatencyRequests: 200, ThroughputRequests: 2_000, BulkMessages: 50), rounds: 1, TimeSpan.Zero, progress: null, deadline.Token);

        var expected = new Dictionary<string, long>
        {
            [TlsBenchmark.Connect] = 1,
            [TlsBenchmark.Latency] = 200,
            [TlsBenchmark.Throughput] = 2_000,
            [TlsBenchmark.Bulk] = 50L * TlsBenchmark.BulkSize,
        };
        Assert.Equal(
            expected.SelectMany(e => new[] { (TlsBenchmark.RowName(e.Key, tls: false), e.Value), (TlsBenchmark.RowName(e.Key, tls: true), e.Value) }).OrderBy(row => row.Item1, StringComparer.Ordinal),
            outcome.Rows.Select(r => (r.Name, r.Items)).OrderBy(row => row.Item1, StringComparer.Ordinal));
        Assert.All(outcome.Rows, row => Assert.Equal(TlsBenchmark.RowName(row.Group, tls: false), row.Baseline));
        Assert.Equal(TlsBenchmark.ScenarioNames.Count, TlsBenchmark.DescribeTargets(outcome).Count());
    }
}
