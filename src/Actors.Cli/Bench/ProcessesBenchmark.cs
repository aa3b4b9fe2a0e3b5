using Akka.Configuration;
using System.Diagnostics;
using System.Globalization;
using Actors.Configuration;
using Actors.Jobs;
using Actors.Pool;
using Actors.Security;
using Akka.Actor;
using Akka.Routing;

namespace Actors.Cli.Bench;

/// <summary>
/// The pool over worker OS processes, on the shared harness:
/// <list type="bullet">
/// <item>1,000,000 × <c>square</c> over 2 worker processes, <c>MapAsync</c> with default options as a
/// user calls it (TLS on, the default) — the headline — against Python's <c>Pool(2).map</c> (the
/// baseline), the same map with TLS off, and the raw loopback TCP floor moving the same bytes;</item>
/// <item>20,000 tasks of one input each (<c>ChunkSize = 1</c>) against Python's
/// <c>Pool(2).map(chunksize=1)</c> and the raw request/response floor;</item>
/// <item>a CPU-heavy job on 2 processes against 1 (the speed-up), with <c>Parallel.For</c> in this
/// process as the control of what the cores gave;</item>
/// <item>start-up (2 worker processes until both serve, against Python's <c>Pool(2)</c>) and recovery
/// (kill -9 of a worker process until its chunks are queued again), each a run of its own per round.</item>
/// </list>
/// </summary>
public static class ProcessesBenchmark
{
    /// <summary>Worker processes of the measured pools.</summary>
    public const int Processes = 2;

    /// <summary>The square group's baseline.</summary>
    public const string Baseline = "Python multiprocessing.Pool(2).map (map call only)";

    /// <summary>The headline: the pool's public map, default options.</summary>
    public const string Headline = "WorkerPool, 2 processes, MapAsync (TLS on, default options)";

    public const string WithoutTls = "WorkerPool, 2 processes, MapAsync, TLS off";
    public const string RawBulk = "raw loopback TCP, 2 threads x 1 connection, plain sockets";
    public const string RawBulkTls = "raw loopback TCP, 2 threads x 1 connection, SslStream";
    /// <summary>The engine's own floor: actors exchanging the same chunks over Akka.Remote with the pool's TLS, nothing of the pool between them.</summary>
    public const string RemoteFloorTls = "bare Akka.Remote request/response, 2 child processes x 1 actor, TLS (floor)";
    public const string Singles = "WorkerPool, 2 processes, MapAsync ChunkSize = 1 (TLS on)";
    public const string PythonSingles = "Python Pool(2).map(chunksize=1)";
    public const string RawRequests = "raw TCP request/response, 2 connections x 1 outstanding, plain";
    public const string RawRequestsTls = "raw TCP request/response, 2 connections x 1 outstanding, SslStream";
    public const string StartUp = "WorkerPool start: 2 worker processes until both serve (TLS)";
    public const string PythonStartUp = "Python Pool(2) start: until a first map answers";
    /// <summary>Single submits over the headline's pool, without a listener: the baseline of the telemetry rows.</summary>
    public const string Submits = "WorkerPool, 2 processes, SubmitAsync, one call per task (TLS on)";

    public const string Recovery = "kill -9 of a worker process: until its chunks are queued again";

    /// <summary>The issue's targets.</summary>
    internal const double TargetVsPython = 4;
    internal const double TargetVsRawBulk = 0.25;
    internal const double TargetVsRemoteFloor = 0.8;
    internal const double TargetSinglesVsPython = 1;
    internal const double TargetSpeedUpPerCore = 0.9;

    /// <summary>The CPU-heavy pool with <paramref name="processes"/> worker processes.</summary>
    public static string HeavyName(int processes) =>
        string.Create(CultureInfo.InvariantCulture, $"WorkerPool, {processes} process{(processes == 1 ? "" : "es")}, sum-range {PoolBenchmark.HeavyInput:N0}");

    /// <summary>Runs the benchmark: two actor systems of its own (TLS on and off), their pools, and the loopback floors.</summary>
    public static async Task<BenchOutcome> RunAsync(int rounds, TextWriter? progress, CancellationToken ct)
    {
        var secure = WireSecurity.CreateSystem("processes-bench", Config(tls: true));
        var plain = WireSecurity.CreateSystem("processes-bench-plain", Config(tls: false));
        var pools = new List<WorkerPool>();
        LoopbackFloor? plainFloor = null, tlsFloor = null;
        RemoteFloor? remoteFloor = null;
        try
        {
            // The headline's pool as a user makes it: WorkerPool.Create(system, "squares") (config/base.hocon
            // names its router; in processes mode a router only says how workers take turns).
            WorkerPool Pool(ActorSystem system, string name, int processes)
            {
                var section = system.Settings.Config.GetConfig(PoolSettings.SectionPath);
                var pool = processes == Processes && name == "squares"
                    ? WorkerPool.Create(system, name)
                    : WorkerPool.Create(system, name, new RoundRobinPool(1),
                        PoolSettings.Create(ConfigurationFactory.ParseString($"processes.count = {processes}").WithFallback(section)));
                pools.Add(pool);
                return pool;
            }

            var startUps = 0;
            var set = new ProcessesBenchPools(
                Pool(secure, "squares", Processes), Pool(plain, "squares", Processes), Pool(secure, "heavy-x1", 1), Pool(secure, "recovery", Processes),
                () => WorkerPool.Create(secure, $"start-up-{++startUps}", new RoundRobinPool(1)));
            plainFloor = await LoopbackFloor.StartAsync(Processes, tls: false, ct).ConfigureAwait(false);
            tlsFloor = await LoopbackFloor.StartAsync(Processes, tls: true, ct).ConfigureAwait(false);
            remoteFloor = await RemoteFloor.StartAsync(Processes, ct).ConfigureAwait(false);
            foreach (var pool in pools) await pool.WhenReadyAsync(cancellationToken: ct).ConfigureAwait(false);
            var plan = CreatePlan(set, plainFloor, tlsFloor, remoteFloor, ProcessesBenchSizes.Default);
            return await BenchHarness.RunAsync(plan, rounds, progress, ct).ConfigureAwait(false);
        }
        finally
        {
            plainFloor?.Dispose();
            tlsFloor?.Dispose();
            if (remoteFloor is not null) await remoteFloor.DisposeAsync().ConfigureAwait(false);
            foreach (var pool in pools) await pool.DisposeAsync().ConfigureAwait(false);
            await Task.WhenAll(secure.Terminate(), plain.Terminate()).ConfigureAwait(false);
        }
    }

    /// <summary>The plan over <paramref name="pools"/> and the three floors, at <paramref name="sizes"/>.</summary>
    internal static BenchPlan CreatePlan(ProcessesBenchPools pools, LoopbackFloor plainFloor, LoopbackFloor tlsFloor, RemoteFloor remoteFloor, ProcessesBenchSizes sizes)
    {
        ArgumentNullException.ThrowIfNull(remoteFloor);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(sizes);
        var notes = new List<string>();
        var squares = Range(sizes.Squares);
        var squaresExpected = new BenchExpectation(sizes.Squares, PoolBenchBaselines.SumOfSquaresBelow(sizes.Squares));
        List<BenchCompetitor> square =
        [
            new(Headline, sizes.Squares, squaresExpected, ct => ProcessesBenchRuns.MapAsync(Headline, pools.Squares, squares, null, ct)),
            new(WithoutTls, sizes.Squares, squaresExpected, ct => ProcessesBenchRuns.MapAsync(WithoutTls, pools.SquaresWithoutTls, squares, null, ct)),
            .. TelemetryOverhead.Rows(Headline, sizes.Squares, squaresExpected, (name, ct) => ProcessesBenchRuns.MapAsync(name, pools.Squares, squares, null, ct)),
            new(RawBulk, sizes.Squares, squaresExpected, _ => Task.Run(() => ProcessesBenchRuns.Floor(RawBulk, squares, plainFloor.Bulk))),
            new(RawBulkTls, sizes.Squares, squaresExpected, _ => Task.Run(() => ProcessesBenchRuns.Floor(RawBulkTls, squares, tlsFloor.Bulk))),
            new(RemoteFloorTls, sizes.Squares, squaresExpected, _ => ProcessesBenchRuns.FloorAsync(RemoteFloorTls, squares, remoteFloor.SquareAsync)),
        ];
        AddPython(square, notes, Baseline, [Count(sizes.Squares), Count(Processes), "3"], sizes.Squares, squaresExpected);

        var singles = Range(sizes.Singles);
        var singlesExpected = new BenchExpectation(sizes.Singles, PoolBenchBaselines.SumOfSquaresBelow(sizes.Singles));
        var chunkOfOne = new MapOptions { ChunkSize = 1 };
        var single = new List<BenchCompetitor>
        {
            new(Singles, sizes.Singles, singlesExpected, ct => ProcessesBenchRuns.MapAsync(Singles, pools.Squares, singles, chunkOfOne, ct)),
            new(RawRequests, sizes.Singles, singlesExpected, _ => Task.Run(() => ProcessesBenchRuns.Floor(RawRequests, singles, plainFloor.RequestResponse))),
            new(RawRequestsTls, sizes.Singles, singlesExpected, _ => Task.Run(() => ProcessesBenchRuns.Floor(RawRequestsTls, singles, tlsFloor.RequestResponse))),
        };
        AddPython(single, notes, PythonSingles, [Count(sizes.Singles), Count(Processes), "3", "1"], sizes.Singles, singlesExpected);

        var submitsExpected = new BenchExpectation(sizes.Submits, PoolBenchBaselines.SumOfSquaresBelow(sizes.Submits));
        List<BenchCompetitor> submits =
        [
            new(Submits, sizes.Submits, submitsExpected, ct => PoolBenchmark.RunSubmitsAsync(pools.Squares, sizes.Submits, ct, Submits)),
            .. TelemetryOverhead.Rows(Submits, sizes.Submits, submitsExpected, (name, ct) => PoolBenchmark.RunSubmitsAsync(pools.Squares, sizes.Submits, ct, name)),
        ];

        var heavyInputs = Enumerable.Repeat(sizes.HeavyInput, sizes.HeavyTasks).ToArray();
        var heavyExpected = new BenchExpectation(sizes.HeavyTasks, sizes.HeavyTasks * PoolBenchBaselines.SumBelow(sizes.HeavyInput));
        var heavy = new List<BenchCompetitor>
        {
            new(HeavyName(1), sizes.HeavyTasks, heavyExpected, ct => ProcessesBenchRuns.HeavyAsync(HeavyName(1), pools.HeavyOne, heavyInputs, ct)),
            new(HeavyName(Processes), sizes.HeavyTasks, heavyExpected, ct => ProcessesBenchRuns.HeavyAsync(HeavyName(Processes), pools.Squares, heavyInputs, ct)),
            new(string.Create(CultureInfo.InvariantCulture, $"Parallel.For x{Environment.ProcessorCount} in this process, sum-range {sizes.HeavyInput:N0} (control)"),
                sizes.HeavyTasks, heavyExpected, _ => Task.FromResult(PoolBenchBaselines.HeavyParallel(heavyInputs))),
        };

        var startExpected = new BenchExpectation(2, 1); // a first map of 0 and 1 answers 0 and 1
        var start = new List<BenchCompetitor> { new(StartUp, Processes, startExpected, ct => ProcessesBenchRuns.StartUpAsync(pools.NewPool, ct)) };
        if (PythonRunner.FindPython() is not null)
            start.Add(new(PythonStartUp, Processes, startExpected, ct => ProcessesBenchRuns.PythonStartUpAsync(Processes, ct)));

        var recoveryInputs = Enumerable.Range(0, sizes.RecoveryTasks).Select(i => 2L + i % 4).ToArray();
        var recovery = new List<BenchCompetitor>
        {
            new(Recovery, 1, new BenchExpectation(sizes.RecoveryTasks, recoveryInputs.Sum()), ct => ProcessesBenchRuns.RecoveryAsync(pools.Recovery, recoveryInputs, ct)),
        };

        var title = string.Create(CultureInfo.InvariantCulture,
            $"processes: {sizes.Squares:N0} x square over {Processes} worker processes; {sizes.Singles:N0} chunks of 1; {sizes.HeavyTasks:N0} x sum-range {sizes.HeavyInput:N0} on 1 and {Processes}; start-up; recovery after kill -9");
        notes.Add("the raw TCP rows run their 2 'workers' as threads of this process (loopback costs the same between processes), squaring in place; SslStream with a pinned ECDSA P-256 certificate, as the pool's TLS");
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"the bare Akka.Remote floor: this process and {Processes} child processes, the pool's transport settings and TLS (a pinned ephemeral certificate), one actor each squaring what it is sent; an actor here deals chunks of {remoteFloor.ChunkSizeFor(sizes.Squares):N0} (the pool's automatic size), at most {remoteFloor.Window} in flight per child (the pool's window), a raw-bytes serializer bound to the chunk message"));
        notes.Add("start-up and recovery are one event per run (a new pool started; a worker process killed mid-map, its map then checked): their 'items/s' is events per second");
        return new BenchPlan("processes", title,
        [
            new(string.Create(CultureInfo.InvariantCulture, $"{sizes.Squares:N0} x square over {Processes} processes"), PythonRunner.FindPython() is null ? RawBulk : Baseline, square),
            new(string.Create(CultureInfo.InvariantCulture, $"{sizes.Singles:N0} tasks of one input"), PythonRunner.FindPython() is null ? RawRequests : PythonSingles, single),
            new(string.Create(CultureInfo.InvariantCulture, $"{sizes.Submits:N0} single submits over {Processes} processes: what listening costs"), Submits, submits),
            new($"CPU-heavy: speed-up over one process ({Environment.ProcessorCount} cores)", HeavyName(1), heavy),
            new("start-up", PythonRunner.FindPython() is null ? StartUp : PythonStartUp, start),
            new("recovery", Recovery, recovery),
        ])
        {
            Notes = notes,
        };
    }

    /// <summary>One line per target of the issue: the measured ratio of medians, the target and whether it is met; and the cost of TLS.</summary>
    public static IEnumerable<string> DescribeTargets(BenchOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        double? Rate(string name) => outcome.Find(name)?.MedianItemsPerSecond;
        if (Rate(Headline) is { } pool)
        {
            if (Rate(Baseline) is { } python) yield return Verdict($"{Headline} vs {Baseline}", pool / python, TargetVsPython);
            if (Rate(RemoteFloorTls) is { } remote) yield return Verdict($"{Headline} vs {RemoteFloorTls}", pool / remote, TargetVsRemoteFloor);
            if (Rate(RawBulkTls) is { } rawTls) yield return Verdict($"{Headline} vs {RawBulkTls}", pool / rawTls, TargetVsRawBulk);
            if (Rate(RawBulk) is { } raw) yield return Verdict($"{Headline} vs {RawBulk}", pool / raw, TargetVsRawBulk);
            if (Rate(WithoutTls) is { } plain)
                yield return string.Create(CultureInfo.InvariantCulture, $"side: TLS costs the square map {plain / pool:0.00}x its time without TLS (medians)");
        }
        foreach (var line in TelemetryOverhead.Describe(outcome, Headline).Concat(TelemetryOverhead.Describe(outcome, Submits))) yield return line;
        if (Rate(Singles) is { } singles && Rate(PythonSingles) is { } pythonSingles)
            yield return Verdict($"{Singles} vs {PythonSingles}", singles / pythonSingles, TargetSinglesVsPython);
        if (outcome.Find(HeavyName(Processes)) is { } heavy)
            yield return Verdict($"CPU-heavy speed-up of {Processes} processes over 1 ({Environment.ProcessorCount} cores)", heavy.Ratio, TargetSpeedUpPerCore * Environment.ProcessorCount);
    }

    private static string Verdict(string what, double ratio, double target) => string.Create(CultureInfo.InvariantCulture,
        $"target: {what} >= {target:0.0#}x (medians): {ratio:0.00#}x, {(ratio >= target ? "met" : "NOT met")}");

    private static Akka.Configuration.Config Config(bool tls) => ActorsConfig.Load(new ConfigOptions
    {
        Mode = "processes",
        Overrides =
        [
            $"actors.pool.processes.count = {Processes}",
            $"actors.security.tls.enabled = {(tls ? "on" : "off")}",
            "akka.loglevel = ERROR",
        ],
    });

    private static long[] Range(int count)
    {
        var inputs = new long[count];
        for (var i = 0; i < count; i++) inputs[i] = i;
        return inputs;
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void AddPython(List<BenchCompetitor> competitors, List<string> notes, string name, string[] arguments, int items, BenchExpectation expected)
    {
        if (PythonRunner.Competitor(name, "pool", arguments, items, expected, TimeSpan.FromMinutes(2)) is { } python) competitors.Add(python);
        else if (!notes.Contains(NoPython)) notes.Add(NoPython);
    }

    private const string NoPython = "python3 is not on the PATH: the Python competitors are not measured; the floors are the baselines.";
}

/// <summary>The pools <see cref="ProcessesBenchmark"/> measures, all ready before it starts; the start-up row makes a new one per run.</summary>
/// <param name="Squares">2 worker processes, TLS on: the square, chunk-of-one and CPU-heavy rows.</param>
/// <param name="SquaresWithoutTls">2 worker processes in an actor system with TLS off.</param>
/// <param name="HeavyOne">1 worker process: the CPU-heavy baseline.</param>
/// <param name="Recovery">2 worker processes whose one is killed each run (a pool of its own, so that no other row runs on a cold replacement).</param>
/// <param name="NewPool">Creates a new pool of 2 worker processes, TLS on.</param>
public sealed record ProcessesBenchPools(WorkerPool Squares, WorkerPool SquaresWithoutTls, WorkerPool HeavyOne, WorkerPool Recovery, Func<WorkerPool> NewPool);

/// <summary>How much each group of <see cref="ProcessesBenchmark"/> moves.</summary>
/// <param name="Submits">Single submits of the telemetry group: the cost of listening on submits.</param>
public sealed record ProcessesBenchSizes(int Squares, int Singles, int HeavyTasks, long HeavyInput, int RecoveryTasks, int Submits = PoolBenchmark.SingleSubmits)
{
    /// <summary>The issue's sizes: 1,000,000 squares, 20,000 chunks of one, the pool benchmark's CPU-heavy job, 400 waits of 2–5 ms, 100,000 submits.</summary>
    public static ProcessesBenchSizes Default { get; } = new(1_000_000, 20_000, PoolBenchmark.HeavyTasks, PoolBenchmark.HeavyInput, 400);
}
