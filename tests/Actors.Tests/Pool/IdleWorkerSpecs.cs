using Actors.Jobs;
using Actors.Pool;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

/// <summary>
/// A chunk sent to a worker busy with a long one does not wait there while another worker is idle:
/// once the busy worker has been silent for <c>steal-after</c>, the chunk runs on the idle one — and
/// only there, since the busy worker reads its cancellation before it would start it.
/// </summary>
public sealed class IdleWorkerSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.serialize-messages = off
    akka.actor.deployment {
      /least-loaded { router = smallest-mailbox-pool, nr-of-instances = 2 }
      /in-turn { router = round-robin-pool, nr-of-instances = 2 }
    }
    """, output)
{
    private static readonly MapOptions OnePerChunk = new() { ChunkSize = 1 };

    [Theory]
    [InlineData("least-loaded")]
    [InlineData("in-turn")]
    public async Task A_map_sent_behind_another_maps_long_async_job_runs_on_the_idle_worker(string name)
    {
        using var gate = Gate.Create();
        await using var pool = WorkerPool.Create(Sys, name);
        var slow = pool.MapAsync(new GatedSquareJob(), [gate.Input(7, hold: true)]);
        await AwaitAssertAsync(() => Assert.Equal(1, gate.Held), Patience);

        // Three chunks: one of them goes to the busy worker first, and would wait there for the gate.
        var squares = await pool.MapAsync(new SquareJob(), [1L, 2, 3], OnePerChunk).WaitAsync(Patience);

        Assert.Equal(new long[] { 1, 4, 9 }, squares);
        Assert.False(slow.IsCompleted);
        gate.Release();
        Assert.Equal(new long[] { 49 }, await slow.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_chunk_taken_from_a_worker_blocked_in_a_synchronous_job_runs_once()
    {
        using var gate = Gate.Create();
        await using var pool = WorkerPool.Create(Sys, "in-turn");
        var slow = pool.MapAsync(new StubbornJob(), [gate.Input(7, hold: true)]);

        // In turn: 2 goes to the idle worker, 3 behind the blocked one, and is taken back from there.
        var squares = await pool.MapAsync(new StubbornJob(), [gate.Input(2), gate.Input(3)], OnePerChunk).WaitAsync(Patience);
        Assert.Equal(new long[] { 4, 9 }, squares);
        gate.Release();
        Assert.Equal(new long[] { 49 }, await slow.WaitAsync(Patience));
        // A map on both workers runs behind whatever the blocked one still held: by its end, every run is counted.
        Assert.Equal(new long[] { 25, 36 }, await pool.MapAsync(new StubbornJob(), [gate.Input(5), gate.Input(6)], OnePerChunk).WaitAsync(Patience));

        Assert.Equal(5, gate.Completed);
        Assert.Equal(1, (await pool.GetStatusAsync()).Retries);
    }
}
