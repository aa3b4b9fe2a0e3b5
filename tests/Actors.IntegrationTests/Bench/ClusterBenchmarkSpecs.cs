using Actors.Cli.Bench;

namespace Actors.IntegrationTests.Bench;

/// <summary>
/// The throughput half of <c>actors bench cluster</c> at a small size: two clusters of real node
/// processes (TLS and plain) and a pool of worker processes each compute a checked map. (Its
/// failure half signals a node and waits for the split brain resolver: about 15 s a case, left to
/// the benchmark itself.)
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ClusterBenchmarkSpecs
{
    [Fact]
    public async Task Every_throughput_competitor_must_map_the_squares_with_a_checked_sum()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));

        var results = (await ClusterBenchmark.ThroughputAsync(20_000, 1, deadline.Token)).ToList();

        string[] competitors = [ClusterBenchmark.Baseline, ClusterBenchmark.ClusterTls, ClusterBenchmark.ClusterPlain];
        Assert.Equal(competitors.Order(StringComparer.Ordinal), results.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(results, result =>
        {
            Assert.Equal(20_000, result.Items);
            Assert.True(result.Seconds > 0, $"{result.Name} took no time");
        });
    }
}
