using Actors.Pool;
using Actors.Telemetry;
using Actors.Tests.Pool;
using Xunit.Abstractions;

namespace Actors.Tests.Telemetry;

/// <summary>
/// The live views' reading of every pool alive in a process (<see cref="PoolMeterSnapshot"/>): the
/// gauges and counters an exporter reads, nothing counted twice.
/// </summary>
public sealed class PoolMeterSnapshotSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.deployment./meter-snapshot { router = round-robin-pool, nr-of-instances = 2 }
    """, output)
{
    [Fact]
    public async Task Snapshot_must_show_a_busy_pools_chunks_in_flight_then_its_totals_at_rest_and_forget_it_once_disposed()
    {
        var snapshot = PoolMeterSnapshot.Shared;
        var pool = WorkerPool.Create(Sys, "meter-snapshot");
        using var gate = Gate.Create();
        // Two inputs are held at the gate: their chunks stay in flight until it opens.
        var inputs = Enumerable.Range(0, 6).Select(i => gate.Input(i, hold: i < 2)).ToArray();

        var map = pool.MapAsync(new GatedSquareJob(), inputs, new MapOptions { ChunkSize = 1 });
        await AwaitAssertAsync(() =>
        {
            var busy = Assert.Single(snapshot.Read(), reading => reading.Pool == "meter-snapshot");
            Assert.Equal(("local", 2), (busy.Mode, busy.Workers));
            Assert.True(busy.InFlight >= 2, $"{busy.InFlight} chunks in flight with two held at the gate");
        }, Patience);
        gate.Release();
        await map.WaitAsync(Patience);

        await AwaitAssertAsync(() =>
        {
            var rest = Assert.Single(snapshot.Read(), reading => reading.Pool == "meter-snapshot");
            Assert.Equal((0, 0, 6L, 0L), (rest.InFlight, rest.Queued, rest.Completed, rest.Failed));
        }, Patience);
        await pool.DisposeAsync();
        Assert.DoesNotContain(snapshot.Read(), reading => reading.Pool == "meter-snapshot");
    }
}
