using Actors.Jobs;
using Actors.Pool;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

/// <summary>
/// A local map over an array: its chunks are regions of the caller's array and its workers write
/// into the result array, with the same outcomes as any other map. Messages are not serialized
/// here, as in a real local pool.
/// </summary>
public sealed class WorkerPoolInPlaceSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.serialize-messages = off
    akka.actor.deployment./workers { router = round-robin-pool, nr-of-instances = 2 }
    """, output)
{
    [Fact]
    public async Task A_map_over_an_array_must_allocate_its_results_once_and_copy_no_inputs()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");
        var inputs = Longs(1_000_000);
        await pool.MapAsync(new SquareJob(), inputs).WaitAsync(Patience); // warm: the first map builds runners and routes

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var squares = await pool.MapAsync(new SquareJob(), inputs).WaitAsync(Patience);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(Squares(1_000_000), squares);
        // The result array is 8 MB; copies of the inputs and of the outputs would be 16 MB more. (The
        // rest is everything else the process allocates meanwhile: timers, logging, a Debug build's checks.)
        Output?.WriteLine($"allocated {allocated:N0} bytes for a map of 1,000,000 longs");
        Assert.InRange(allocated, 8_000_000, 16_000_000);
    }

    [Fact]
    public async Task A_failed_input_in_place_must_leave_the_outputs_before_it_and_its_retry_must_fill_its_own()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");
        var run = FlakyJob.NewRun();
        var inputs = Longs(40).Select(i => new FlakyInput(run, i, Failures: i is 3 or 27 ? 1 : 0)).ToArray();

        var squares = await pool.MapAsync(new FlakyJob(), inputs, new MapOptions { ChunkSize = 10, RetryJobExceptions = true }).WaitAsync(Patience);

        Assert.Equal(Squares(40), squares);
    }

    [Fact]
    public async Task A_map_with_a_task_timeout_must_still_give_every_output()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");

        var squares = await pool.MapAsync(new SquareJob(), Longs(1000), new MapOptions { ChunkSize = 7, TaskTimeout = TimeSpan.FromMinutes(1) }).WaitAsync(Patience);

        Assert.Equal(Squares(1000), squares);
    }
}
