using System.Diagnostics;
using System.Globalization;
using Actors.Configuration;
using Actors.Jobs;
using Actors.Pool;
using Actors.Security;
using Akka.Actor;

namespace Actors.Cli.Bench;

/// <summary>
/// The pool across worker OS processes, side by side in one run: 1,000,000 × <c>square</c> over two
/// worker processes against Python's <c>multiprocessing.Pool(2).map</c>; per-task throughput with
/// chunk size 1 against Python's <c>Pool.map(..., chunksize=1)</c> and against a bare Akka.Remote
/// request/response loop into the same kind of worker process; the time from kill -9 of a worker
/// process to the manager having accounted for all its chunks; the time to start worker processes.
/// </summary>
public static class ProcessesBenchmark
{
    public const int Processes = 2;
    public const int SquareItems = 1_000_000;
    public const int SingleTasks = 20_000;
    public const long SumOfSquares = PoolBenchmark.SumOfSquares;
    public const string Baseline = "python Pool(2).map";

    public const string PoolSquares = "WorkerPool 2 processes";
    public const string PoolSingles = "WorkerPool 2 processes, chunk 1";
    public const string PythonSingles = "python Pool(2).map, chunksize=1";
    public const string BareRemote = "bare Akka.Remote request/response";
    public const string Recovery = "recovery after kill -9 (items = chunks re-queued)";
    public const string StartUp = "start 2 worker processes (in parallel)";
    public const string PythonStartUp = "python Pool(2) start-up";

    private const int MeasuredRuns = 3;

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(CancellationToken ct)
    {
        var results = new List<BenchResult>();
        var config = ActorsConfig.Load(new ConfigOptions
        {
            Mode = "processes",
            Overrides =
            [
                $"actors.pool.processes.count = {Processes}",
                "akka.actor.deployment./bench { router = round-robin-pool, nr-of-instances = 1 }",
                "akka.loglevel = ERROR",
            ],
        });
        var system = WireSecurity.CreateSystem("bench", config);
        try
        {
            var started = Stopwatch.GetTimestamp();
            await using var pool = WorkerPool.Create(system, "bench");
            await WaitAsync(async () => (await pool.GetStatusAsync(ct)).Routees == Processes, TimeSpan.FromSeconds(60), ct);
            results.Add(new BenchResult(StartUp, Processes, Stopwatch.GetElapsedTime(started).TotalSeconds));

            var squares = Enumerable.Range(0, SquareItems).Select(i => (long)i);
            await pool.MapAsync(new SquareJob(), squares, cancellationToken: ct); // warm: JIT on both sides
            results.Add(new BenchResult(PoolSquares, SquareItems, await MedianAsync(async () =>
            {
                var outputs = await pool.MapAsync(new SquareJob(), squares, cancellationToken: ct);
                Check(outputs.Sum() == SumOfSquares, PoolSquares);
            })));

            var singles = Enumerable.Range(0, SingleTasks).Select(i => (long)i);
            var chunkOfOne = new MapOptions { ChunkSize = 1 };
            await pool.MapAsync(new SquareJob(), singles.Take(SingleTasks / 10), chunkOfOne, ct);
            results.Add(new BenchResult(PoolSingles, SingleTasks, await MedianAsync(async () =>
            {
                var outputs = await pool.MapAsync(new SquareJob(), singles, chunkOfOne, ct);
                Check(outputs.Length == SingleTasks && outputs[^1] == (SingleTasks - 1L) * (SingleTasks - 1L), PoolSingles);
            })));

            results.Add(new BenchResult(BareRemote, SingleTasks, await BareRemoteLoop.RunAsync(system, SingleTasks, Processes, ct)));
            results.Add(await MeasureRecoveryAsync(pool, ct));
        }
        finally
        {
            await system.Terminate();
        }

        if (await PythonRunner.RunAsync("pool", [Arg(SquareItems), Arg(Processes), Arg(MeasuredRuns)], TimeSpan.FromMinutes(5), ct) is { } python)
        {
            Check(python.GetProperty("sum").GetInt64() == SumOfSquares, Baseline);
            results.Add(new BenchResult(Baseline, SquareItems, python.GetProperty("seconds").GetDouble()));
            results.Add(new BenchResult(PythonStartUp, Processes, python.GetProperty("startup_seconds").GetDouble()));
        }
        if (await PythonRunner.RunAsync("pool", [Arg(SingleTasks), Arg(Processes), Arg(MeasuredRuns), "1"], TimeSpan.FromMinutes(5), ct) is { } single)
            results.Add(new BenchResult(PythonSingles, SingleTasks, single.GetProperty("seconds").GetDouble()));
        return results;
    }

    /// <summary>The issue's targets, each as a line saying the measured ratio and whether it is met.</summary>
    public static IEnumerable<string> DescribeTargets(IReadOnlyList<BenchResult> results)
    {
        double? Rate(string name) => results.FirstOrDefault(r => r.Name == name)?.ItemsPerSecond;
        string Ratio(string a, string b, double target) => Rate(a) is { } x && Rate(b) is { } y && y > 0
            ? $"{a} / {b} = {x / y:0.00}x (target {target}x: {(x / y >= target ? "met" : "not met")})"
            : $"{a} / {b}: not measured";
        yield return Ratio(PoolSquares, Baseline, 4);
        yield return Ratio(PoolSingles, PythonSingles, 1.5);
        yield return Ratio(PoolSingles, BareRemote, 0.7);
        if (results.FirstOrDefault(r => r.Name == Recovery) is { } recovery)
            yield return $"recovery after kill -9: {recovery.Seconds * 1000:0} ms (target 1000 ms: {(recovery.Seconds <= 1 ? "met" : "not met")})";
    }

    private static async Task<BenchResult> MeasureRecoveryAsync(WorkerPool pool, CancellationToken ct)
    {
        // A long map of 100 ms waits, one per chunk; once both processes are busy, one is killed.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pids = new HashSet<int>();
        var progress = new InlineProgress(report => { lock (pids) pids.UnionWith(report.Pids); });
        var map = pool.MapAsync(new SleepJob(), Enumerable.Repeat(100L, 10_000), new MapOptions { ChunkSize = 1, Progress = progress }, stop.Token);
        await WaitAsync(() => { lock (pids) return Task.FromResult(pids.Count >= Processes); }, TimeSpan.FromSeconds(30), ct);
        var before = await pool.GetStatusAsync(ct);
        int victim;
        lock (pids) victim = pids.First();

        var killed = Stopwatch.GetTimestamp();
        Process.GetProcessById(victim).Kill();
        await WaitAsync(async () => (await pool.GetStatusAsync(ct)).Retries > before.Retries,
            TimeSpan.FromSeconds(30), ct, poll: TimeSpan.FromMilliseconds(1));
        var seconds = Stopwatch.GetElapsedTime(killed).TotalSeconds;
        var requeued = (await pool.GetStatusAsync(ct)).Retries - before.Retries;

        await stop.CancelAsync();
        try { await map; } catch (OperationCanceledException) { }
        return new BenchResult(Recovery, requeued, seconds);
    }

    private static async Task<double> MedianAsync(Func<Task> run)
    {
        var timings = new List<double>();
        for (var i = 0; i < MeasuredRuns; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await run();
            timings.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        timings.Sort();
        return timings[timings.Count / 2];
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken ct, TimeSpan? poll = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        while (!await condition()) await Task.Delay(poll ?? TimeSpan.FromMilliseconds(20), deadline.Token);
    }

    private static void Check(bool correct, string competitor)
    {
        if (!correct) throw new InvalidOperationException($"{competitor} computed a wrong result");
    }

    private static string Arg(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class InlineProgress(Action<MapProgress> report) : IProgress<MapProgress>
    {
        public void Report(MapProgress value) => report(value);
    }
}
