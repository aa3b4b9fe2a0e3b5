using System.Diagnostics;
using System.Globalization;
using Actors.Configuration;
using Actors.Jobs;
using Actors.Pool;
using Akka.Actor;
using Akka.Configuration;
using Akka.Routing;

namespace Actors.Cli.Bench;

/// <summary>
/// The seed's questions 2 and 3 at benchmark size, side by side in one run:
/// <list type="bullet">
/// <item>1,000,000 × <c>square</c> on a local <see cref="WorkerPool"/> with one worker per core
/// (round-robin, automatic chunking), timed from the <c>MapAsync</c> call to the results array,
/// against <see cref="Parallel.For(int, int, Action{int})"/>, PLINQ and Python's
/// <c>multiprocessing.Pool(cores).map</c> (map call only; its start-up is a separate row);</item>
/// <item>8 × <c>sum-range 10,000,000</c> on a pool with one worker and on a pool with one worker
/// per core: the CPU-bound speed-up, with the same tasks through <c>Parallel.For</c> as a control
/// of what the cores gave during the run (the machines are shared).</item>
/// </list>
/// Every competitor's result is checked (sum of squares 333,332,833,333,500,000, every position of
/// the .NET arrays, every sum-range result); a wrong result throws. <see cref="DescribeTargets"/>
/// turns the results into one line per target of the issue.
/// </summary>
public static class PoolBenchmark
{
    /// <summary>Inputs of the square map: 0 … 999,999.</summary>
    public const int SquareItems = 1_000_000;

    /// <summary>Σ i² for i in 0 … 999,999.</summary>
    public const long SumOfSquares = 333_332_833_333_500_000;

    /// <summary>Tasks of the CPU-bound comparison.</summary>
    public const int SumRangeTasks = 8;

    /// <summary>The input of each CPU-bound task: <c>sum(range(10000000))</c>.</summary>
    public const long SumRangeInput = 10_000_000;

    /// <summary>Name of the competitor the ratios divide by.</summary>
    public const string Baseline = "Parallel.For";

    /// <summary>The PLINQ competitor (ordered, as Python's <c>map</c> and <c>MapAsync</c> are).</summary>
    public const string Plinq = "PLINQ (AsOrdered)";

    /// <summary>Timed rounds (every .NET competitor once per round) after the warm-up; each competitor's median is reported.</summary>
    internal const int MeasuredRuns = 9;

    /// <summary>Timed <c>pool.map</c> calls of the Python competitor; it reports their median.</summary>
    internal const int PythonRuns = 3;

    // Issue 3's targets.
    internal const double TargetVsParallelFor = 0.7;
    internal const double TargetVsPython = 3.0;
    internal const double TargetSpeedUpPerCore = 0.9;

    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(1);

    /// <summary>The WorkerPool competitor of the square map.</summary>
    public static string PoolName => $"WorkerPool x{Environment.ProcessorCount}";

    /// <summary>The Python competitor of the square map (its map call only).</summary>
    public static string PythonName => $"python Pool({Environment.ProcessorCount}).map";

    /// <summary>The control of the CPU-bound comparison: the same tasks through <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/> with one thread per core.</summary>
    public static string SumRangeParallelName => $"sum-range Parallel.For x{Environment.ProcessorCount}";

    /// <summary>The CPU-bound pool with <paramref name="workers"/> workers.</summary>
    public static string SumRangeName(int workers) => $"sum-range pool x{workers}";

    /// <summary>
    /// Runs every competitor, side by side, and returns their results: the .NET ones as the median
    /// of <see cref="MeasuredRuns"/> interleaved timed rounds after a warm-up, the Python one (left out
    /// when <c>python3</c> is not on the PATH) as the median of its map calls. Two start-up rows
    /// (items = workers started) show what creating each pool costs, outside the map timings.
    /// </summary>
    /// <exception cref="InvalidOperationException">A competitor computed a wrong result.</exception>
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(CancellationToken ct)
    {
        var cores = Environment.ProcessorCount;
        var inputs = new long[SquareItems];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = i;
        }

        var competitors = new List<Competitor>
        {
            new(Baseline, SquareItems, () => Task.FromResult(RunParallelFor())),
            new(Plinq, SquareItems, () => Task.FromResult(RunPlinq(inputs))),
        };
        var startUps = new List<BenchResult>();
        var pools = new List<WorkerPool>();
        var system = ActorSystem.Create("pool-bench", ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            actors.pool.mode = local
            actors.pool.chunk-size = 0
            """).WithFallback(ActorsConfig.Defaults));
        IReadOnlyList<BenchResult> measured;
        try
        {
            // Start-up, cold: the pool is created and answers a first map of one input per worker.
            var created = Stopwatch.GetTimestamp();
            var squares = WorkerPool.Create(system, "bench-squares", new RoundRobinPool(cores));
            pools.Add(squares);
            await squares.MapAsync(new SquareJob(), inputs[..cores], cancellationToken: ct).ConfigureAwait(false);
            startUps.Add(new($"{PoolName} start-up (cold)", cores, Stopwatch.GetElapsedTime(created).TotalSeconds));
            competitors.Add(new(PoolName, SquareItems, () => RunPoolAsync(squares, inputs, ct)));

            foreach (var workers in new[] { 1, cores })
            {
                var pool = WorkerPool.Create(system, $"bench-sum-range-x{workers}", new RoundRobinPool(workers));
                pools.Add(pool);
                competitors.Add(new(SumRangeName(workers), SumRangeTasks, () => RunSumRangeAsync(pool, ct)));
            }

            // The control: what the same tasks gain from the cores without any pool in between.
            competitors.Add(new(SumRangeParallelName, SumRangeTasks, () => Task.FromResult(RunSumRangeParallelFor(cores))));
            measured = await MeasureAsync(competitors, ct).ConfigureAwait(false);
        }
        finally
        {
            foreach (var pool in pools)
            {
                await pool.DisposeAsync().ConfigureAwait(false);
            }

            await system.Terminate().ConfigureAwait(false);
        }

        var results = measured.ToList();
        var python = await PythonRunner.RunAsync(
            "pool",
            [
                SquareItems.ToString(CultureInfo.InvariantCulture),
                cores.ToString(CultureInfo.InvariantCulture),
                PythonRuns.ToString(CultureInfo.InvariantCulture),
            ],
            TimeSpan.FromMinutes(2),
            ct).ConfigureAwait(false);
        if (python is { } json)
        {
            var items = json.GetProperty("items").GetInt64();
            var sum = json.GetProperty("sum").GetInt64();
            if (items != SquareItems || sum != SumOfSquares)
            {
                throw new InvalidOperationException($"{PythonName}: {items} results with sum {sum}, expected {SquareItems} with sum {SumOfSquares}.");
            }

            results.Add(new(PythonName, items, json.GetProperty("seconds").GetDouble()));
            startUps.Add(new($"python Pool({cores}) start-up", json.GetProperty("processes").GetInt32(), json.GetProperty("startup_seconds").GetDouble()));
        }

        results.AddRange(startUps);
        return results;
    }

    /// <summary>
    /// One line per target of the issue: the measured figure, the target and whether it is met.
    /// A target whose competitors are missing (no <c>python3</c>) says so.
    /// </summary>
    public static IReadOnlyList<string> DescribeTargets(IReadOnlyList<BenchResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var cores = Environment.ProcessorCount;
        var lines = new List<string>
        {
            Compare($"{PoolName} vs {Baseline} on square", Find(results, PoolName), Find(results, Baseline), TargetVsParallelFor),
            Compare($"{PoolName} vs {PythonName} on square", Find(results, PoolName), Find(results, PythonName), TargetVsPython),
            Compare($"sum-range speed-up, 1 -> {cores} workers", Find(results, SumRangeName(cores)), Find(results, SumRangeName(1)), TargetSpeedUpPerCore * cores),
        };
        if (Find(results, SumRangeParallelName) is { } control && Find(results, SumRangeName(1)) is { ItemsPerSecond: > 0 } single)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"control: {SumRangeParallelName} runs the same tasks {control.ItemsPerSecond / single.ItemsPerSecond:0.00}x as fast as {single.Name} (what the cores gave during this run)"));
        }

        if (LoadAverage() is { } load && load > cores)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"note: the load average was {load:0.0} on {cores} cores while this ran; other processes took CPU time, so these figures understate what the machine can do"));
        }

        return lines;

        static string Compare(string what, BenchResult? measured, BenchResult? reference, double target)
        {
            if (measured is null || reference is null || reference.ItemsPerSecond <= 0)
            {
                return $"{what}: not measured (target >= {target:0.0#}x)";
            }

            var ratio = measured.ItemsPerSecond / reference.ItemsPerSecond;
            var verdict = ratio >= target ? "met" : "NOT met";
            return string.Create(CultureInfo.InvariantCulture, $"{what}: {ratio:0.00}x (target >= {target:0.0#}x): {verdict}");
        }
    }

    // The one-minute load average where the OS publishes it (Linux), else null.
    private static double? LoadAverage()
    {
        try
        {
            var text = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg") : null;
            return text is not null && double.TryParse(text.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static BenchResult? Find(IReadOnlyList<BenchResult> results, string name) => results.FirstOrDefault(r => r.Name == name);

    /// <summary>A competitor: one run returns its timed seconds and checks its own result.</summary>
    private sealed record Competitor(string Name, long Items, Func<Task<double>> Run);

    /// <summary>
    /// Warms every competitor up (runs it until it has run once and <see cref="WarmUpTime"/> has
    /// passed, so tiered JIT has compiled its optimised code), then times <see cref="MeasuredRuns"/>
    /// rounds in which every competitor runs once, each run after a full garbage collection, and
    /// returns each competitor's median. Interleaving the rounds spreads the noise of a shared
    /// machine evenly over the competitors, which keeps their ratios meaningful.
    /// </summary>
    private static async Task<IReadOnlyList<BenchResult>> MeasureAsync(IReadOnlyList<Competitor> competitors, CancellationToken ct)
    {
        foreach (var competitor in competitors)
        {
            var warmUp = Stopwatch.StartNew();
            do
            {
                ct.ThrowIfCancellationRequested();
                await competitor.Run().ConfigureAwait(false);
            }
            while (warmUp.Elapsed < WarmUpTime);
        }

        var seconds = competitors.Select(_ => new double[MeasuredRuns]).ToArray();
        for (var round = 0; round < MeasuredRuns; round++)
        {
            for (var i = 0; i < competitors.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                GC.Collect();
                GC.WaitForPendingFinalizers();
                seconds[i][round] = await competitors[i].Run().ConfigureAwait(false);
            }
        }

        return competitors.Select((competitor, i) =>
        {
            Array.Sort(seconds[i]);
            return new BenchResult(competitor.Name, competitor.Items, seconds[i][MeasuredRuns / 2]);
        }).ToList();
    }

    private static double RunParallelFor()
    {
        var start = Stopwatch.GetTimestamp();
        var squares = new long[SquareItems];
        Parallel.For(0, SquareItems, i => squares[i] = (long)i * i);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        VerifySquares(Baseline, squares);
        return seconds;
    }

    private static double RunPlinq(long[] inputs)
    {
        var start = Stopwatch.GetTimestamp();
        var squares = inputs.AsParallel().AsOrdered().Select(x => x * x).ToArray();
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        VerifySquares(Plinq, squares);
        return seconds;
    }

    private static async Task<double> RunPoolAsync(WorkerPool pool, long[] inputs, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var squares = await pool.MapAsync(new SquareJob(), inputs, cancellationToken: ct).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        VerifySquares(PoolName, squares);
        return seconds;
    }

    private static async Task<double> RunSumRangeAsync(WorkerPool pool, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var sums = await pool.MapAsync(new SumRangeJob(), Enumerable.Repeat(SumRangeInput, SumRangeTasks), cancellationToken: ct).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        VerifySums(pool.Name, sums);
        return seconds;
    }

    private static double RunSumRangeParallelFor(int cores)
    {
        var start = Stopwatch.GetTimestamp();
        var sums = new long[SumRangeTasks];
        var job = new SumRangeJob();
        Parallel.For(0, SumRangeTasks, new ParallelOptions { MaxDegreeOfParallelism = cores }, i => sums[i] = job.Run(SumRangeInput));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        VerifySums(SumRangeParallelName, sums);
        return seconds;
    }

    private static void VerifySums(string name, long[] sums)
    {
        const long expected = SumRangeInput * (SumRangeInput - 1) / 2;
        if (sums.Length != SumRangeTasks || sums.Any(sum => sum != expected))
        {
            throw new InvalidOperationException(
                $"{name}: sum-range results [{string.Join(", ", sums)}], expected {SumRangeTasks} times {expected}.");
        }
    }

    private static void VerifySquares(string name, long[] squares)
    {
        if (squares.Length != SquareItems)
        {
            throw new InvalidOperationException($"{name}: {squares.Length} results instead of {SquareItems}.");
        }

        long sum = 0;
        for (var i = 0; i < squares.Length; i++)
        {
            if (squares[i] != (long)i * i)
            {
                throw new InvalidOperationException($"{name}: result #{i} is {squares[i]}, expected {(long)i * i}.");
            }

            sum += squares[i];
        }

        if (sum != SumOfSquares)
        {
            throw new InvalidOperationException($"{name}: the squares sum to {sum}, expected {SumOfSquares}.");
        }
    }
}
