using System.Globalization;

namespace Actors.Cli.Bench;

/// <summary>
/// Course question 5's shared counter, each actor answer beside its lock-based twin, on the shared
/// harness (<see cref="BenchHarness"/>: every competitor once per round, rounds interleaved, each
/// run's counter checked after its clock stopped):
/// <list type="bullet">
/// <item>in one process, 2 threads × 1,000,000 increments: <c>lock</c> (the baseline),
/// <c>Interlocked.Increment</c>, an actor-owned counter (producers <c>Tell</c>, one <c>Ask</c> at the
/// end), an unguarded <c>int++</c> (wrong by design: only its count is checked, its sum may fall
/// short, and the updates it lost are a note) and Python's <c>threading.Lock</c>;</item>
/// <item>across processes, 2 client processes × 100,000 increments: the actor that owns the value
/// over Akka.Remote (mutual TLS, as the sample runs it) against Python's <c>multiprocessing.Value</c>
/// with its lock (the baseline), and a <c>Manager</c>'s Value and Lock proxies (fewer increments: it is slow);</item>
/// <item>across 2 cluster nodes (over TLS): a DistributedData <c>GCounter</c> written locally (the
/// baseline) and with <c>WriteMajority</c>, what majority consistency costs.</item>
/// </list>
/// The client processes, the cluster nodes and the actor system start once per benchmark run (<see cref="StateBenchRig"/>).
/// </summary>
public static class StateBenchmark
{
    public const int Threads = 2;
    public const int Increments = 1_000_000;
    public const int Clients = 2;
    public const int ClientIncrements = 100_000;
    public const int ManagerIncrements = 5_000;
    public const int LocalWrites = 10_000;
    public const int MajorityWrites = 1_000;

    public const string Baseline = "lock";
    public const string Interlocked = "Interlocked.Increment";
    public const string Actor = "actor-owned counter (Tell)";
    public const string Unguarded = "unguarded int++ (wrong)";
    public const string PythonThreads = "python threading.Lock, 2 threads";
    public const string RemoteActor = "actor counter, 2 client processes (Akka.Remote, TLS)";
    public const string PythonValue = "python multiprocessing.Value + lock, 2 processes";
    public const string PythonManager = "python Manager().Value + Lock, 2 processes";
    public const string DataLocal = "DData GCounter WriteLocal, 2 nodes (TLS)";
    public const string DataMajority = "DData GCounter WriteMajority, 2 nodes (TLS)";

    private static readonly TimeSpan PythonTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs the benchmark at the command's sizes.</summary>
    public static Task<BenchOutcome> RunAsync(int rounds, TextWriter? progress, CancellationToken ct) =>
        RunAsync(StateBenchSizes.Default, rounds, BenchHarness.DefaultWarmUp, progress, ct);

    /// <summary>Starts the rig, runs every competitor at <paramref name="sizes"/>, and adds the unguarded counter's losses to the notes.</summary>
    internal static async Task<BenchOutcome> RunAsync(StateBenchSizes sizes, int rounds, TimeSpan warmUp, TextWriter? progress, CancellationToken ct)
    {
        await using var rig = await StateBenchRig.StartAsync(sizes, ct).ConfigureAwait(false);
        var lost = new List<long>();
        var plan = CreatePlan(rig, sizes, lost);
        var outcome = await BenchHarness.RunAsync(plan, rounds, warmUp, progress, ct).ConfigureAwait(false);
        return outcome with { Notes = [.. outcome.Notes, DescribeLosses(lost, (long)Threads * sizes.Increments)] };
    }

    /// <summary>The plan over <paramref name="rig"/>; each unguarded run's lost updates are added to <paramref name="lost"/>.</summary>
    internal static BenchPlan CreatePlan(StateBenchRig rig, StateBenchSizes sizes, List<long> lost)
    {
        var made = (long)Threads * sizes.Increments;
        var counted = new BenchExpectation(made, made);
        var inProcess = new List<BenchCompetitor>
        {
            new(Baseline, made, counted, _ => Task.Run(() => StateBenchRuns.Lock(sizes.Increments))),
            new(Interlocked, made, counted, _ => Task.Run(() => StateBenchRuns.Interlocked(sizes.Increments))),
            new(Actor, made, counted, ct => StateBenchRuns.ActorAsync(rig.System, rig.Settings, sizes.Increments, ct)),
            new(Unguarded, made, counted, _ => Task.Run(() =>
            {
                var run = StateBenchRuns.Unguarded(sizes.Increments);
                lost.Add(run.Count - run.Sum);
                return run;
            })) { SumIsAtMost = true },
        };
        var notes = new List<string>();
        AddPython(inProcess, notes, PythonThreads, "threads", sizes.Increments);

        var remoteMade = (long)Clients * sizes.ClientIncrements;
        var crossProcess = new List<BenchCompetitor>
        {
            new(RemoteActor, remoteMade, new(remoteMade, remoteMade), rig.RemoteRoundAsync),
        };
        AddPython(crossProcess, notes, PythonValue, "value", sizes.ClientIncrements);
        AddPython(crossProcess, notes, PythonManager, "manager", sizes.ManagerIncrements);

        var local = 2L * sizes.LocalWrites;
        var majority = 2L * sizes.MajorityWrites;
        var replicated = new List<BenchCompetitor>
        {
            new(DataLocal, local, new(local, local), ct => rig.WriteAsync(sizes.LocalWrites, majority: false, ct)),
            new(DataMajority, majority, new(majority, majority), ct => rig.WriteAsync(sizes.MajorityWrites, majority: true, ct)),
        };

        var python = PythonRunner.FindPython() is not null;
        var title = string.Create(CultureInfo.InvariantCulture,
            $"state: a shared counter, actor vs lock vs Interlocked ({Threads} threads x {sizes.Increments:N0}), across {Clients} processes vs Python's multiprocessing.Value ({Clients} x {sizes.ClientIncrements:N0}), across 2 cluster nodes");
        notes.Add("every counter is read after its clock stopped and must equal the increments made, except the unguarded int's, which may only fall short (it loses updates by design)");
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"the client processes and the cluster nodes start once; a cross-process run is one round of the clients between two barriers at the owner; Python's processes start outside its clock; the Manager row makes {Clients} x {sizes.ManagerIncrements:N0} increments"));
        return new BenchPlan("state", title,
        [
            new(string.Create(CultureInfo.InvariantCulture, $"in one process, {Threads} threads x {sizes.Increments:N0} increments"), Baseline, inProcess),
            new(string.Create(CultureInfo.InvariantCulture, $"across processes, {Clients} client processes x {sizes.ClientIncrements:N0} increments"), python ? PythonValue : RemoteActor, crossProcess),
            new(string.Create(CultureInfo.InvariantCulture, $"across 2 cluster nodes, DistributedData GCounter"), DataLocal, replicated),
        ])
        {
            Notes = notes,
        };
    }

    /// <summary>The ratios that answer the question, from the medians.</summary>
    public static IEnumerable<string> DescribeTargets(BenchOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        double? Rate(string name) => outcome.Find(name)?.MedianItemsPerSecond;
        string Ratio(string a, string b) => Rate(a) is { } x && Rate(b) is { } y && y > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{a} / {b} = {x / y:0.00}x (median items/s)")
            : $"{a} / {b}: not measured";
        yield return Ratio(Actor, Baseline);
        yield return Ratio(Actor, Interlocked);
        yield return Ratio(Actor, PythonThreads);
        yield return Ratio(RemoteActor, PythonValue);
        yield return Ratio(RemoteActor, PythonManager);
        yield return Ratio(DataMajority, DataLocal);
    }

    private static string DescribeLosses(List<long> lost, long updates)
    {
        if (lost.Count == 0) return "the unguarded int did not run";
        var median = (long)BenchHarness.Median([.. lost.Select(l => (double)l)]);
        return string.Create(CultureInfo.InvariantCulture,
            $"the unguarded int lost {median:N0} of {updates:N0} updates in its median run and {lost.Max():N0} at most, over {lost.Count} runs with the warm-up's (it may lose none: its threads overlap only if both are on a core at once)");
    }

    private static void AddPython(List<BenchCompetitor> competitors, List<string> notes, string name, string mode, int increments)
    {
        var made = (long)Threads * increments;
        if (PythonRunner.Competitor(name, "state", [mode, Arg(increments), "1"], made, new(made, made), PythonTimeout) is { } python) competitors.Add(python);
        else if (!notes.Contains(NoPython)) notes.Add(NoPython);
    }

    private const string NoPython = "python3 is not on the PATH: the Python competitors are not measured.";

    private static string Arg(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>How much each row of <see cref="StateBenchmark"/> does per run: the command's sizes, or smaller ones for a spec.</summary>
/// <param name="Increments">Increments per thread, in process (Python's threads too).</param>
/// <param name="ClientIncrements">Increments per client process and run (Python's Value too).</param>
/// <param name="ManagerIncrements">Increments per process through Python's Manager proxies.</param>
/// <param name="LocalWrites">GCounter increments per node with WriteLocal.</param>
/// <param name="MajorityWrites">GCounter increments per node with WriteMajority.</param>
internal sealed record StateBenchSizes(int Increments, int ClientIncrements, int ManagerIncrements, int LocalWrites, int MajorityWrites)
{
    /// <summary>The command's sizes.</summary>
    public static StateBenchSizes Default { get; } = new(
        StateBenchmark.Increments, StateBenchmark.ClientIncrements, StateBenchmark.ManagerIncrements,
        StateBenchmark.LocalWrites, StateBenchmark.MajorityWrites);
}
