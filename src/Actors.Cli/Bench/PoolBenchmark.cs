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
/// The course's questions 2 and 3 at benchmark size, on the shared harness:
/// <list type="bullet">
/// <item>1,000,000 × <c>square</c>: <see cref="WorkerPool.MapAsync{TIn,TOut}(IJobContract{TIn,TOut}, IEnumerable{TIn}, MapOptions?, CancellationToken)"/>
/// on a local pool with one worker per core, as a user calls it (the headline), against the
/// range-partitioned <c>Parallel.ForEach</c> (the baseline), <c>Parallel.For</c> with one call per
/// index, PLINQ, a loop on one thread, and Python, single-threaded and with <c>Pool(cores).map</c>;</item>
/// <item>a CPU-heavy job, <see cref="HeavyTasks"/> × <c>sum-range</c> <see cref="HeavyInput"/>
/// (about 100 µs each): the pool with one worker per core against the pool with one worker, so its
/// ratio is the speed-up, with <c>Parallel.For</c> as the control of what the cores gave.</item>
/// </list>
/// Every .NET run's outputs are checked position by position after its clock stopped, and every
/// run's count and sum by the harness.
/// </summary>
public static class PoolBenchmark
{
    /// <summary>Inputs of the square map: 0 … 999,999.</summary>
    public const int SquareItems = 1_000_000;

    /// <summary>Σ i² for i in 0 … 999,999.</summary>
    public const long SumOfSquares = 333_332_833_333_500_000;

    /// <summary>Tasks of the CPU-heavy group.</summary>
    public const int HeavyTasks = 20_000;

    /// <summary>The input of each CPU-heavy task: <c>sum(range(n))</c> by a loop, about 100 µs on a current core.</summary>
    public const long HeavyInput = 420_000;

    /// <summary>Tasks of the single-submit group.</summary>
    public const int SingleSubmits = 100_000;

    /// <summary>The single-submit group's headline: one <c>SubmitAsync</c> per input, awaited together.</summary>
    public const string SubmitHeadline = "WorkerPool SubmitAsync, one call per task";

    /// <summary>The single-submit group's baseline: the .NET thread pool, one task per input.</summary>
    public const string SubmitBaseline = "Task.Run, one task per input (thread pool)";

    /// <summary>The single-submit group's Python competitor.</summary>
    public static string PythonSubmits => $"Python Pool({Cores}).apply_async, one call per task";

    /// <summary>The baseline of the square group: what a competent .NET developer writes for a parallel map over an array.</summary>
    public const string Baseline = "Parallel.ForEach over Partitioner.Create ranges";

    /// <summary>The issue's targets.</summary>
    internal const double TargetVsParallelFor = 0.7;
    internal const double TargetSpeedUpPerCore = 0.9;

    private static int Cores => Environment.ProcessorCount;

    /// <summary>The headline: the pool's public map, as a user calls it.</summary>
    public static string Headline => $"WorkerPool x{Cores} MapAsync (local)";

    /// <summary>The CPU-heavy pool with <paramref name="workers"/> workers; one worker is the heavy group's baseline.</summary>
    public static string HeavyName(int workers) => $"WorkerPool x{workers}, sum-range {HeavyInput:N0}";

    /// <summary>Runs the benchmark in an actor system of its own.</summary>
    public static async Task<BenchOutcome> RunAsync(int rounds, TextWriter? progress, CancellationToken ct)
    {
        var system = ActorSystem.Create("pool-bench", ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.log-dead-letters = off
            actors.pool.mode = local
            """).WithFallback(ActorsConfig.Defaults));
        var pools = new List<WorkerPool>();
        try
        {
            WorkerPool Pool(string name, int workers)
            {
                var pool = WorkerPool.Create(system, name, new RoundRobinPool(workers));
                pools.Add(pool);
                return pool;
            }

            var plan = CreatePlan(Pool("squares", Cores), Pool("heavy-x1", 1), Pool("heavy-xn", Cores), SquareItems, HeavyTasks, SingleSubmits);
            foreach (var pool in pools) await pool.WhenReadyAsync(cancellationToken: ct).ConfigureAwait(false);
            return await BenchHarness.RunAsync(plan, rounds, progress, ct).ConfigureAwait(false);
        }
        finally
        {
            foreach (var pool in pools) await pool.DisposeAsync().ConfigureAwait(false);
            await system.Terminate().ConfigureAwait(false);
        }
    }

    /// <summary>The plan: the square group over <paramref name="items"/> inputs, the CPU-heavy group over <paramref name="heavyTasks"/>, the single-submit group over <paramref name="submits"/>.</summary>
    public static BenchPlan CreatePlan(WorkerPool squares, WorkerPool heavyOne, WorkerPool heavyAll, int items, int heavyTasks, int submits)
    {
        var inputs = new long[items];
        for (var i = 0; i < items; i++) inputs[i] = i;
        var expected = new BenchExpectation(items, PoolBenchBaselines.SumOfSquaresBelow(items));
        var job = new SquareJob();
        List<BenchCompetitor> square =
        [
            new(Headline, items, expected, async ct =>
            {
                var started = Stopwatch.GetTimestamp();
                var outputs = await squares.MapAsync(job, inputs, cancellationToken: ct).ConfigureAwait(false);
                return PoolBenchBaselines.Squares(Headline, Stopwatch.GetElapsedTime(started).TotalSeconds, outputs);
            }),
            new(Baseline, items, expected, _ => Task.FromResult(PoolBenchBaselines.RangePartitioned(Baseline, inputs))),
            .. TelemetryOverhead.Rows(Headline, items, expected, async (name, ct) =>
            {
                var started = Stopwatch.GetTimestamp();
                var outputs = await squares.MapAsync(job, inputs, cancellationToken: ct).ConfigureAwait(false);
                return PoolBenchBaselines.Squares(name, Stopwatch.GetElapsedTime(started).TotalSeconds, outputs);
            }),
            new("Parallel.For, one call per index", items, expected, _ => Task.FromResult(PoolBenchBaselines.PerIndex("Parallel.For", inputs))),
            new("PLINQ AsOrdered().Select().ToArray()", items, expected, _ => Task.FromResult(PoolBenchBaselines.Plinq("PLINQ", inputs))),
            new("for loop, one thread", items, expected, _ => Task.FromResult(PoolBenchBaselines.Loop("for loop", inputs))),
        ];
        var notes = new List<string>();
        var cores = Cores.ToString(CultureInfo.InvariantCulture);
        var count = items.ToString(CultureInfo.InvariantCulture);
        AddPython(square, notes, "Python list(map(square, range(n))), one thread", [count, "0", "1"], items, expected);
        AddPython(square, notes, $"Python multiprocessing.Pool({Cores}).map (map call only)", [count, cores, "1"], items, expected);

        var heavyExpected = new BenchExpectation(heavyTasks, heavyTasks * PoolBenchBaselines.SumBelow(HeavyInput));
        var heavyInputs = Enumerable.Repeat(HeavyInput, heavyTasks).ToArray();
        var heavy = new List<BenchCompetitor>
        {
            new(HeavyName(1), heavyTasks, heavyExpected, ct => RunHeavyAsync(heavyOne, heavyInputs, ct)),
            new(HeavyName(Cores), heavyTasks, heavyExpected, ct => RunHeavyAsync(heavyAll, heavyInputs, ct)),
            new($"Parallel.For x{Cores}, sum-range {HeavyInput:N0} (control)", heavyTasks, heavyExpected,
                _ => Task.FromResult(PoolBenchBaselines.HeavyParallel(heavyInputs))),
        };
        var submitExpected = new BenchExpectation(submits, PoolBenchBaselines.SumOfSquaresBelow(submits));
        List<BenchCompetitor> single =
        [
            new(SubmitHeadline, submits, submitExpected, ct => RunSubmitsAsync(squares, submits, ct)),
            .. TelemetryOverhead.Rows(SubmitHeadline, submits, submitExpected, (name, ct) => RunSubmitsAsync(squares, submits, ct, name)),
            new(SubmitBaseline, submits, submitExpected, _ => PoolBenchBaselines.TaskPerInputAsync(submits)),
        ];
        if (PythonRunner.Competitor(PythonSubmits, "apply", [submits.ToString(CultureInfo.InvariantCulture), cores], submits, submitExpected, TimeSpan.FromMinutes(2)) is { } apply)
            single.Add(apply);
        return new BenchPlan(
            "pool",
            string.Create(CultureInfo.InvariantCulture,
                $"pool: {items:N0} x square on {Cores} workers; {heavyTasks:N0} x sum-range {HeavyInput:N0} on 1 and {Cores} workers; {submits:N0} single submits"),
            [
                new(string.Create(CultureInfo.InvariantCulture, $"{items:N0} x square"), Baseline, square),
                new("CPU-heavy: speed-up over one worker", HeavyName(1), heavy),
                new(string.Create(CultureInfo.InvariantCulture, $"{submits:N0} single submits of square"), SubmitBaseline, single),
            ])
        {
            Notes = notes,
        };
    }

    /// <summary>One line per target of the issue: the measured ratio of medians, the target and whether it is met.</summary>
    public static IEnumerable<string> DescribeTargets(BenchOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Find(Headline) is { } headline)
            yield return Verdict($"{Headline} vs {Baseline}", headline.Ratio, TargetVsParallelFor);
        if (outcome.Find(HeavyName(Cores)) is { } heavy)
            yield return Verdict($"CPU-heavy speed-up of {Cores} workers over 1", heavy.Ratio, TargetSpeedUpPerCore * Cores);
        if (outcome.Find(SubmitHeadline) is { } submits && outcome.Find(PythonSubmits) is { } python)
            yield return Verdict($"{SubmitHeadline} vs {PythonSubmits}", submits.Ratio / python.Ratio, 1.0);
        foreach (var line in TelemetryOverhead.Describe(outcome, Headline).Concat(TelemetryOverhead.Describe(outcome, SubmitHeadline))) yield return line;
    }

    private static string Verdict(string what, double ratio, double target) => string.Create(CultureInfo.InvariantCulture,
        $"target: {what} >= {target:0.0#}x (medians): {ratio:0.00}x, {(ratio >= target ? "met" : "NOT met")}");

    private static async Task<BenchRun> RunHeavyAsync(WorkerPool pool, long[] inputs, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var sums = await pool.MapAsync(new SumRangeJob(), inputs, cancellationToken: ct).ConfigureAwait(false);
        return PoolBenchBaselines.Sums(pool.Name, Stopwatch.GetElapsedTime(started).TotalSeconds, sums);
    }

    internal static async Task<BenchRun> RunSubmitsAsync(WorkerPool pool, int submits, CancellationToken ct, string name = SubmitHeadline)
    {
        var job = new SquareJob();
        var tasks = new Task<long>[submits];
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < submits; i++) tasks[i] = pool.SubmitAsync(job, (long)i, cancellationToken: ct);
        var outputs = await Task.WhenAll(tasks).ConfigureAwait(false);
        return PoolBenchBaselines.Squares(name, Stopwatch.GetElapsedTime(started).TotalSeconds, outputs);
    }

    private static void AddPython(List<BenchCompetitor> competitors, List<string> notes, string name, string[] arguments, int items, BenchExpectation expected)
    {
        if (PythonRunner.Competitor(name, "pool", arguments, items, expected, TimeSpan.FromMinutes(2)) is { } python) competitors.Add(python);
        else if (notes.Count == 0) notes.Add("python3 is not on the PATH: the course's Python programs are not measured.");
    }
}
