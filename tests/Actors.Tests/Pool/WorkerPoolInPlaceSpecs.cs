using Actors.Jobs;
using Actors.Pool;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

/// <summary>
/// A local map over an array: its chunks are regions of the caller's array and its workers write
/// into the result array, with the same outcomes as any other map. Messages are not serialized
/// here, as in a real local pool.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class WorkerPoolInPlaceSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.serialize-messages = off
    actors.pool.max-auto-chunk-size = 10
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

    [Fact]
    public async Task Automatic_chunks_of_an_array_must_be_four_regions_per_worker_and_of_any_other_input_stay_capped()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");

        await pool.MapAsync(new ChunkLengths(), Longs(1000)).WaitAsync(Patience);
        var array = ChunkLengths.Take();
        await pool.MapAsync(new ChunkLengths(), Longs(1000).ToList()).WaitAsync(Patience);
        var list = ChunkLengths.Take();

        Assert.Equal(Enumerable.Repeat(125, 8), array.Order()); // 1000 / (2 workers x 4), not max-auto-chunk-size
        Assert.Equal(Enumerable.Repeat(10, 100), list);          // copied chunks keep the cap
    }

    /// <summary>Squares, and notes the length of each chunk its workers were given (each worker makes its own instance).</summary>
    public sealed class ChunkLengths : ISpanJob<long, long>
    {
        private static readonly System.Collections.Concurrent.ConcurrentQueue<int> Lengths = new();

        public static int[] Take()
        {
            var taken = Lengths.ToArray();
            Lengths.Clear();
            return taken;
        }

        public long Run(long input) => input * input;

        public void Run(ReadOnlySpan<long> inputs, Span<long> outputs)
        {
            Lengths.Enqueue(inputs.Length);
            for (var i = 0; i < inputs.Length; i++) outputs[i] = inputs[i] * inputs[i];
        }
    }
}
