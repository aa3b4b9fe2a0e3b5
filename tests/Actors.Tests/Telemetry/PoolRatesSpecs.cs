using Actors.Jobs;
using Actors.Pool;
using Actors.Telemetry;
using Actors.Tests.Pool;
using Xunit.Abstractions;

namespace Actors.Tests.Telemetry;

/// <summary>
/// The live views' reading of the pool counters (<see cref="PoolRates"/>): the same instruments an
/// exporter reads, summed per pool, with rates over the last 10 s.
/// </summary>
public sealed class PoolRatesSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.deployment./rates { router = round-robin-pool, nr-of-instances = 2 }
    """, output)
{
    [Fact]
    public async Task Rates_must_count_a_pools_inputs_and_failures_from_its_meter()
    {
        var rates = PoolRates.Shared;
        await using var pool = WorkerPool.Create(Sys, "rates");

        var outcomes = await pool.MapOutcomesAsync(new FailJob(), Enumerable.Range(0, 100).Select(i => i == 7 ? -1L : i), new MapOptions { ChunkSize = 10 }).WaitAsync(Patience);

        Assert.Single(outcomes, outcome => outcome.Failure is not null);
        var reading = rates.Read("rates");
        Assert.Equal((99L, 1L, 0L), (reading.Completed, reading.Failed, reading.Retried));
        Assert.True(reading.CompletedPerSecond > 0, $"{reading.CompletedPerSecond} inputs/s after a map of 99");
        Assert.True(reading.FailedPerSecond > 0, $"{reading.FailedPerSecond} failed/s after a failure");
        Assert.Equal(default, rates.Read("no-such-pool"));
    }
}
