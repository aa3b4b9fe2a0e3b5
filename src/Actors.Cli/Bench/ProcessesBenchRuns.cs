using System.Collections.Concurrent;
using System.Diagnostics;
using Actors.Jobs;
using Actors.Pool;

namespace Actors.Cli.Bench;

/// <summary>
/// One timed run of each kind of <see cref="ProcessesBenchmark"/>'s competitors: the clock covers
/// the call a user makes, and the outputs are checked after it stopped.
/// </summary>
internal static class ProcessesBenchRuns
{
    /// <summary>How long a run may wait for a pool to reach a state before the benchmark fails.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary><c>MapAsync(square)</c> over <paramref name="inputs"/> (0, 1, …), every output checked.</summary>
    public static async Task<BenchRun> MapAsync(string name, WorkerPool pool, long[] inputs, MapOptions? options, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var outputs = await pool.MapAsync(new SquareJob(), inputs, options, ct).ConfigureAwait(false);
        return PoolBenchBaselines.Squares(name, Stopwatch.GetElapsedTime(started).TotalSeconds, outputs);
    }

    /// <summary>A loopback floor squaring <paramref name="inputs"/> (0, 1, …) into an array made before its clock starts.</summary>
    public static BenchRun Floor(string name, long[] inputs, Func<long[], long[], double> run)
    {
        var outputs = new long[inputs.Length];
        return PoolBenchBaselines.Squares(name, run(inputs, outputs), outputs);
    }

    /// <summary>An asynchronous floor squaring <paramref name="inputs"/> (0, 1, …) into an array made before its clock starts.</summary>
    public static async Task<BenchRun> FloorAsync(string name, long[] inputs, Func<long[], long[], Task<double>> run)
    {
        var outputs = new long[inputs.Length];
        return PoolBenchBaselines.Squares(name, await run(inputs, outputs).ConfigureAwait(false), outputs);
    }

    /// <summary>The CPU-heavy map.</summary>
    public static async Task<BenchRun> HeavyAsync(string name, WorkerPool pool, long[] inputs, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var sums = await pool.MapAsync(new SumRangeJob(), inputs, cancellationToken: ct).ConfigureAwait(false);
        return PoolBenchBaselines.Sums(name, Stopwatch.GetElapsedTime(started).TotalSeconds, sums);
    }

    /// <summary>A new pool, timed until every worker process serves; then it squares 0 and 1 (the check) and stops.</summary>
    public static async Task<BenchRun> StartUpAsync(Func<WorkerPool> create, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var pool = create();
        try
        {
            await pool.WhenReadyAsync(Bound, ct).ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var outputs = await pool.MapAsync(new SquareJob(), [0L, 1L], cancellationToken: ct).ConfigureAwait(false);
            return new BenchRun(seconds, outputs.Length, outputs.Sum());
        }
        finally
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Python's <c>Pool(n)</c> until a first map answers: <c>pool.py</c>'s own measure of its start-up, over a map of 0 and 1.</summary>
    public static async Task<BenchRun> PythonStartUpAsync(int processes, CancellationToken ct)
    {
        var json = await PythonRunner.RunAsync("pool", ["2", processes.ToString(System.Globalization.CultureInfo.InvariantCulture), "1"], Bound, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("python3 disappeared from the PATH during the benchmark.");
        return new BenchRun(json.GetProperty("startup_seconds").GetDouble(), json.GetProperty("count").GetInt64(), json.GetProperty("sum").GetInt64());
    }

    /// <summary>
    /// A map of short waits, one per chunk; once both processes have answered and a tenth is done,
    /// one process is killed (SIGKILL), timed until the pool has queued its chunks again. The map must
    /// then finish with every output right, and the pool is back to full strength before the next run.
    /// </summary>
    public static async Task<BenchRun> RecoveryAsync(WorkerPool pool, long[] waits, CancellationToken ct)
    {
        var pids = new ConcurrentDictionary<int, byte>();
        var completed = 0L;
        var options = new MapOptions
        {
            ChunkSize = 1,
            Progress = new InlineProgress(progress =>
            {
                Interlocked.Exchange(ref completed, progress.Completed);
                foreach (var pid in progress.Pids) pids.TryAdd(pid, 0);
            }),
        };
        var map = pool.MapAsync(new SleepJob(), waits, options, ct);
        await UntilAsync(() => Task.FromResult(Interlocked.Read(ref completed) >= waits.Length / 10 && pids.Count >= ProcessesBenchmark.Processes),
            "both worker processes to answer", ct).ConfigureAwait(false);
        var before = (await pool.GetStatusAsync(ct).ConfigureAwait(false)).Retries;

        using var victim = Process.GetProcessById(pids.Keys.First());
        var killed = Stopwatch.GetTimestamp();
        victim.Kill();
        await UntilAsync(async () => (await pool.GetStatusAsync(ct).ConfigureAwait(false)).Retries > before,
            "the killed process's chunks to be queued again", ct, TimeSpan.FromMilliseconds(1)).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(killed).TotalSeconds;

        var outputs = await map.WaitAsync(Bound, ct).ConfigureAwait(false);
        await UntilAsync(async () => (await pool.GetStatusAsync(ct).ConfigureAwait(false)) is { Routees: ProcessesBenchmark.Processes, Hosts: ProcessesBenchmark.Processes },
            "the replacement process to serve", ct).ConfigureAwait(false);
        for (var i = 0; i < waits.Length; i++)
        {
            if (outputs[i] != waits[i]) throw new BenchCheckException($"recovery: output #{i} is {outputs[i]}, expected {waits[i]}.");
        }
        return new BenchRun(seconds, outputs.Length, outputs.Sum());
    }

    /// <summary>Polls <paramref name="condition"/> (a pool's state has no event to wait for) for at most <see cref="Bound"/>.</summary>
    /// <exception cref="TimeoutException">It did not hold in time; the message says what was awaited.</exception>
    private static async Task UntilAsync(Func<Task<bool>> condition, string what, CancellationToken ct, TimeSpan? poll = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Bound.TotalSeconds * Stopwatch.Frequency);
        while (!await condition().ConfigureAwait(false))
        {
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"recovery: waited {Bound} for {what}");
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(5), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Reports on the calling thread (<see cref="Progress{T}"/> posts, which would race the checks).</summary>
    private sealed class InlineProgress(Action<MapProgress> report) : IProgress<MapProgress>
    {
        public void Report(MapProgress value) => report(value);
    }
}
