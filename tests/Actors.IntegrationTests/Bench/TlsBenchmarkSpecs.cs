using Actors.Cli.Bench;

namespace Actors.IntegrationTests.Bench;

/// <summary>
/// Every row of <c>actors bench tls</c> at a small size: two actor systems over loopback, plain and
/// mutual TLS, connect and exchange. The benchmark checks the sum of every exchange's answers (a
/// wrong one throws); the spec checks that every row ran at the size it was given.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class TlsBenchmarkSpecs
{
    [Fact]
    public async Task Every_scenario_must_answer_every_request_over_plain_TCP_and_over_TLS()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var results = await TlsBenchmark.RunAsync(new TlsBenchSizes(Rounds: 1, LatencyRequests: 200, ThroughputRequests: 2_000, BulkMessages: 50), deadline.Token);

        var expected = new Dictionary<string, long>
        {
            [TlsBenchmark.Connect] = 1,
            [TlsBenchmark.Latency] = 200,
            [TlsBenchmark.Throughput] = 2_000,
            [TlsBenchmark.Bulk] = 50L * TlsBenchmark.BulkSize,
        };
        Assert.Equal(
            expected.SelectMany(e => new[] { ($"{e.Key}, plain", e.Value), ($"{e.Key}, TLS", e.Value) }).OrderBy(row => row.Item1, StringComparer.Ordinal),
            results.Select(r => (r.Name, r.Items)).OrderBy(row => row.Item1, StringComparer.Ordinal));
        Assert.All(results, result => Assert.True(result.Seconds > 0, $"{result.Name} took no time"));
        Assert.Equal(TlsBenchmark.ScenarioNames.Count, TlsBenchmark.DescribeCost(results).Count());
    }
}
