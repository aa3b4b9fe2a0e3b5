using System.Runtime.CompilerServices;
using Actors.Jobs;
using Actors.Pool;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

public sealed class WorkerPoolSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.deployment {
      /round-robin-pool { router = round-robin-pool, nr-of-instances = 4 }
      /smallest-mailbox-pool { router = smallest-mailbox-pool, nr-of-instances = 3 }
      /resizing {
        router = round-robin-pool
        resizer { enabled = on, lower-bound = 1, upper-bound = 4, messages-per-resize = 1 }
      }
    }
    """, output)
{
    [Theory]
    [InlineData("round-robin-pool", 4, "array")]
    [InlineData("smallest-mailbox-pool", 3, "array")]
    [InlineData("round-robin-pool", 4, "list")]
    [InlineData("round-robin-pool", 4, "sequence")] // no count: the result grows as outputs arrive
    public async Task Pool_must_return_results_in_input_order(string router, int routees, string kind)
    {
        await using var pool = WorkerPool.Create(Sys, router); // its deployment is named after its router
        using var gate = Gate.Create();
        // Input 0 is held until later inputs have finished, so results arrive out of order.
        var inputs = Enumerable.Range(0, 24).Select(i => gate.Input(i, hold: i == 0)).ToArray();
        IEnumerable<GatedInput> sequence = kind switch
        {
            "array" => inputs,
            "list" => new List<GatedInput>(inputs),
            _ => Lazily(inputs),
        };

        var map = pool.MapAsync(new GatedSquareJob(), sequence, new MapOptions { ChunkSize = 1 });
        await AwaitAssertAsync(() => Assert.True(gate.Completed > 0 && gate.Held == 1), Patience);
        Assert.False(map.IsCompleted);
        gate.Release();

        Assert.Equal(Squares(24), await map.WaitAsync(Patience));
        Assert.Equal(routees, (await pool.GetStatusAsync()).Routees);
    }

    [Theory]
    [InlineData(10, 3, 4)]
    [InlineData(1001, 7, 143)]
    [InlineData(5, 10, 1)]
    [InlineData(64, 1, 64)]
    [InlineData(1000, null, 16)] // automatic: about four chunks per worker, as Python's Pool.map
    public async Task Pool_must_map_every_input_whatever_the_chunking(int count, int? chunkSize, int chunks)
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");
        var progress = new Recorder<MapProgress>();

        var result = await pool.MapAsync(new SquareJob(), Longs(count), new MapOptions { ChunkSize = chunkSize, Progress = progress }).WaitAsync(Patience);

        Assert.Equal(Squares(count), result);
        Assert.Equal(chunks, progress.Reports.Count); // one report per chunk's results
        Assert.Equal(count, progress.Reports[^1].Completed);
    }

    [Fact]
    public async Task Pool_must_map_an_empty_input_to_an_empty_result()
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");

        Assert.Empty(await pool.MapAsync(new SquareJob(), Array.Empty<long>()).WaitAsync(Patience));
        Assert.Empty(await pool.MapOutcomesAsync(new SquareJob(), Array.Empty<long>()).WaitAsync(Patience));
        await foreach (var _ in pool.MapOrderedAsync(new SquareJob(), AsyncInputs(0)).WithCancellation(Timeout()))
            Assert.Fail("an empty input stream yields nothing");
        await AwaitAssertAsync(async () => Assert.Equal(0, (await pool.GetStatusAsync()).ActiveJobs), Patience);
    }

    [Fact]
    public async Task Pool_must_map_a_single_input()
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");

        Assert.Equal(new[] { 49L }, await pool.MapAsync(new SquareJob(), new[] { 7L }).WaitAsync(Patience));
    }

    [Fact]
    public async Task Pool_must_return_one_result_for_a_submitted_input()
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");

        Assert.Equal(144L, await pool.SubmitAsync(new SquareJob(), 12L).WaitAsync(Patience));
        Assert.Equal(4950L, await pool.SubmitAsync(new SumRangeJob(), 100L).WaitAsync(Patience));
    }

    [Fact]
    public async Task Pool_must_map_records_and_strings_through_the_wire_format()
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");
        var run = FlakyJob.NewRun();

        var squares = await pool.MapAsync(new FlakyJob(), Longs(20).Select(i => new FlakyInput(run, i)), new MapOptions { ChunkSize = 3 }).WaitAsync(Patience);

        Assert.Equal(Squares(20), squares);
    }

    [Fact]
    public async Task Pool_must_report_progress_up_to_the_total()
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");
        var progress = new Recorder<MapProgress>();

        await pool.MapAsync(new SquareJob(), Longs(100), new MapOptions { ChunkSize = 10, Progress = progress }).WaitAsync(Patience);

        var reports = progress.Reports;
        Assert.NotEmpty(reports);
        Assert.Equal(reports.Select(r => r.Completed).Order(), reports.Select(r => r.Completed));
        Assert.Equal(new MapProgress(100, 0, 100, reports[^1].Pids), reports[^1]);
        Assert.Equal(new[] { Environment.ProcessId }, reports[^1].Pids.ToArray());
    }

    [Fact]
    public async Task Pool_must_stop_a_cancelled_map_promptly_cancel_its_running_chunks_drop_its_queued_ones_and_stay_usable()
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");
        using var gate = Gate.Create();
        using var cancellation = new CancellationTokenSource();
        try
        {
            var map = pool.MapAsync(new GatedSquareJob(), Enumerable.Range(0, 200).Select(i => gate.Input(i, hold: true)),
                new MapOptions { ChunkSize = 1 }, cancellation.Token);
            PoolStatus busy = null!;
            await AwaitAssertAsync(async () =>
            {
                busy = await pool.GetStatusAsync();
                Assert.Equal(busy.MaxInFlightChunks, busy.InFlightChunks);
                Assert.True(busy.QueuedChunks > 0, $"chunks should be waiting for a worker: {busy}");
                // Every worker runs a held input: once cancelled, none starts another (the rest of its queue is dropped).
                Assert.Equal(busy.Routees, gate.Held);
            }, Patience);

            cancellation.Cancel();

            // Promptly: the map gives up while its inputs are still held at the gate.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => map.WaitAsync(Patience));
            Assert.False(gate.Released.IsCompleted);
            await AwaitAssertAsync(async () =>
            {
                var dropped = await pool.GetStatusAsync();
                Assert.Equal(0, dropped.ActiveJobs);
                Assert.Equal(0, dropped.QueuedChunks);
            }, Patience);

            // The cancellation reached the chunks that were running: they stop while the gate is still shut.
            await AwaitAssertAsync(() => Assert.Equal(gate.Held, gate.Cancelled), Patience);
            Assert.Equal(0, (await pool.GetStatusAsync()).InFlightChunks);
            gate.Release();
            // None of its inputs ran to the end, and nothing of it leaks into the next map.
            Assert.Equal(Squares(50), await pool.MapAsync(new SquareJob(), Longs(50), new MapOptions { ChunkSize = 3 }).WaitAsync(Patience));
            Assert.Equal(0, gate.Completed);
        }
        finally
        {
            gate.Release();
        }
    }

    [Fact]
    public async Task Pool_must_keep_chunks_within_their_bounds_during_a_million_input_map()
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");
        var settings = PoolSettings.Create(Sys.Settings.Config.GetConfig("actors.pool"));
        var sampledWhileRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timeout = new CancellationTokenSource(Patience);

        // Halfway through, the input waits until the test has seen the map at work.
        async IAsyncEnumerable<long> Inputs([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (long i = 0; i < 1_000_000; i++)
            {
                if (i == 500_000) await sampledWhileRunning.Task.WaitAsync(cancellationToken);
                yield return i;
            }
        }

        var summing = Task.Run(async () =>
        {
            long sum = 0;
            await foreach (var square in pool.MapOrderedAsync(new SquareJob(), Inputs(), new MapOptions { ChunkSize = 1000 }, timeout.Token))
                sum += square;
            return sum;
        });

        var samples = new List<PoolStatus>();
        while (!summing.IsCompleted)
        {
            var status = await pool.GetStatusAsync();
            samples.Add(status);
            if (status.ActiveJobs == 1) sampledWhileRunning.TrySetResult();
        }

        Assert.Equal(333332833333500000L, await summing);
        Output?.WriteLine($"{samples.Count} samples; most in flight {samples.Max(s => s.InFlightChunks)}, most queued {samples.Max(s => s.QueuedChunks)}");
        Assert.Contains(samples, s => s.ActiveJobs == 1);
        Assert.All(samples, s =>
        {
            Assert.Equal(4, s.Routees);
            Assert.Equal(settings.ChunksPerWorker * s.Routees, s.MaxInFlightChunks);
            Assert.InRange(s.InFlightChunks, 0, s.MaxInFlightChunks);
            Assert.InRange(s.QueuedChunks + s.InFlightChunks, 0, settings.WindowPerWorker * s.Routees);
        });
    }

    [Fact]
    public async Task Pool_must_widen_its_window_as_a_resizer_adds_workers()
    {
        await using var pool = WorkerPool.Create(Sys, "resizing");
        var settings = PoolSettings.Create(Sys.Settings.Config.GetConfig("actors.pool"));
        using var enough = new CancellationTokenSource();
        IEnumerable<long> Inputs()
        {
            for (var i = 0; i < 100_000 && !enough.IsCancellationRequested; i++) yield return 300_000;
        }

        var map = pool.MapAsync(new SumRangeJob(), Inputs(), new MapOptions { ChunkSize = 1 });
        try
        {
            // Sized for the one worker the pool starts with, the window would never hold more.
            await AwaitAssertAsync(async () =>
            {
                var status = await pool.GetStatusAsync();
                Assert.True(status.QueuedChunks + status.InFlightChunks > settings.WindowPerWorker, $"window not widened: {status}");
            }, Patience, TimeSpan.FromMilliseconds(20));
        }
        finally
        {
            enough.Cancel();
        }
        Assert.All(await map.WaitAsync(Patience), sum => Assert.Equal(300_000L * 299_999 / 2, sum));
    }

    private static IEnumerable<T> Lazily<T>(IEnumerable<T> items)
    {
        foreach (var item in items) yield return item;
    }


    /// <summary>Records reports synchronously (<see cref="Progress{T}"/> would post them elsewhere).</summary>
    private sealed class Recorder<T> : IProgress<T>
    {
        private readonly List<T> _reports = new();

        public IReadOnlyList<T> Reports
        {
            get { lock (_reports) return _reports.ToArray(); }
        }

        public void Report(T value)
        {
            lock (_reports) _reports.Add(value);
        }
    }
}
