using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Akka.Actor;
using Akka.Configuration;
using Akka.DistributedData;
using SharedState;
using SharedState.Counter;
using SharedState.Processes;
using SharedState.Replication;

namespace Actors.Cli.Bench;

/// <summary>
/// Seed question 5's shared counter, each actor answer beside its lock-based twin, in one run:
/// <list type="bullet">
/// <item>in one process, 2 threads × 1,000,000 increments: an actor-owned counter (producers
/// <c>Tell</c>, one <c>Ask</c> at the end), <c>lock</c>, <c>Interlocked.Increment</c>, an unguarded
/// <c>int++</c> (with the updates it lost) and Python's <c>threading.Lock</c>;</item>
/// <item>across processes, 2 client processes × 100,000 increments: the actor that owns the value
/// over Akka.Remote (mutual TLS, as the sample runs it) against Python's <c>multiprocessing.Value</c> with its lock, and against a
/// <c>Manager</c>'s Value and Lock proxies (fewer increments: it is slow);</item>
/// <item>across 2 cluster nodes (over TLS): a DistributedData <c>GCounter</c> written locally and with
/// <c>WriteMajority</c>, what majority consistency costs.</item>
/// </list>
/// .NET competitors in one process run interleaved over several rounds after a warm-up; each
/// reports its median. Every competitor's total is checked except the unguarded one's, which is
/// reported.
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
    private static long _lastLost;
    private static long _mostLost;

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(CancellationToken ct)
    {
#if DEBUG
        await Console.Error.WriteLineAsync("bench state: this is a Debug build; figures need `dotnet run -c Release --project src/Actors.Cli -- bench state`.");
        return [];
#else
        return await MeasureAsync(StateBenchSizes.Default, ct);
#endif
    }

    /// <summary>Every row at <paramref name="sizes"/>; each total is checked (a wrong one throws), the unguarded one's losses are kept for <see cref="Describe"/>.</summary>
    internal static async Task<IReadOnlyList<BenchResult>> MeasureAsync(StateBenchSizes sizes, CancellationToken ct)
    {
        var settings = SharedStateSettings.Default;
        var results = new List<BenchResult>();
        results.AddRange(await InProcessAsync(settings, sizes, ct));
        results.Add(await CrossProcessAsync(settings, sizes.ClientIncrements, ct));
        results.AddRange(await ClusterAsync(settings, sizes, ct));
        await AddPythonAsync(results, PythonThreads, "threads", sizes.Increments, sizes.Rounds, ct);
        await AddPythonAsync(results, PythonValue, "value", sizes.ClientIncrements, sizes.Rounds, ct);
        await AddPythonAsync(results, PythonManager, "manager", sizes.ManagerIncrements, sizes.Rounds, ct);
        return results;
    }

    /// <summary>The ratios that answer the question, and the conditions of the run.</summary>
    public static IEnumerable<string> Describe(IReadOnlyList<BenchResult> results)
    {
        if (results.Count == 0) yield break;
        double? Rate(string name) => results.FirstOrDefault(r => r.Name == name)?.ItemsPerSecond;
        string Ratio(string a, string b) => Rate(a) is { } x && Rate(b) is { } y && y > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{a} / {b} = {x / y:0.00}x")
            : $"{a} / {b}: not measured";
        var updates = results.FirstOrDefault(r => r.Name == Unguarded)?.Items ?? 0;
        yield return string.Create(CultureInfo.InvariantCulture, $"the unguarded int lost {_lastLost:N0} of {updates:N0} updates in its median round and {_mostLost:N0} at most (it may lose none: its threads overlap only if both are on a core at once)");
        yield return Ratio(Actor, Baseline);
        yield return Ratio(Actor, Interlocked);
        yield return Ratio(Actor, PythonThreads);
        yield return Ratio(RemoteActor, PythonValue);
        yield return Ratio(RemoteActor, PythonManager);
        yield return Ratio(DataMajority, DataLocal);
        if (PythonRunner.FindPython() is null) yield return "python3 is not on the PATH: the Python rows were skipped.";
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        yield return $"{Environment.ProcessorCount} cores, load average {load}, Release build, {(GCSettings.IsServerGC ? "server" : "workstation")} GC";
    }

    private static async Task<IEnumerable<BenchResult>> InProcessAsync(SharedStateSettings settings, StateBenchSizes sizes, CancellationToken ct)
    {
        var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(SharedStateSettings.Defaults);
        using var system = ActorSystem.Create("state-bench", config);
        var competitors = new (string Name, Func<int, Task<double>> Run)[]
        {
            (Baseline, n => Task.FromResult(RunLock(n))),
            (Interlocked, n => Task.FromResult(RunInterlocked(n))),
            (Actor, n => RunActorAsync(system, settings, n, ct)),
            (Unguarded, n => Task.FromResult(RunUnguarded(n))),
        };

        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < sizes.WarmUp)
            foreach (var (_, run) in competitors) await run(sizes.Increments / 10);

        var timings = competitors.ToDictionary(c => c.Name, _ => new List<double>());
        var lost = new List<long>();
        for (var round = 0; round < sizes.Rounds; round++)
        {
            foreach (var (name, run) in competitors)
            {
                ct.ThrowIfCancellationRequested();
                timings[name].Add(await run(sizes.Increments));
                if (name == Unguarded) lost.Add(_lastLost);
            }
        }
        await system.Terminate();
        lost.Sort();
        _lastLost = lost[lost.Count / 2];
        _mostLost = lost[^1];
        return competitors.Select(c => new BenchResult(c.Name, (long)Threads * sizes.Increments, Median(timings[c.Name])));
    }

    private static double RunLock(int increments)
    {
        long counter = 0;
        var gate = new object();
        var seconds = TimeThreads(() =>
        {
            for (var i = 0; i < increments; i++)
            {
                lock (gate) counter++;
            }
        });
        Check(counter == (long)Threads * increments, Baseline);
        return seconds;
    }

    private static double RunInterlocked(int increments)
    {
        long counter = 0;
        var seconds = TimeThreads(() =>
        {
            for (var i = 0; i < increments; i++) System.Threading.Interlocked.Increment(ref counter);
        });
        Check(counter == (long)Threads * increments, Interlocked);
        return seconds;
    }

    /// <summary>The increment without any lock; the updates it loses are kept in <see cref="_lastLost"/>.</summary>
    private static double RunUnguarded(int increments)
    {
        long counter = 0;
        var seconds = TimeThreads(() =>
        {
            // A read, an add and a write, each to memory as Python's `counter += 1` does; without
            // Volatile the JIT keeps the counter in a register and the race never shows.
            for (var i = 0; i < increments; i++) Volatile.Write(ref counter, Volatile.Read(ref counter) + 1);
        });
        _lastLost = (long)Threads * increments - counter;
        return seconds;
    }

    /// <summary>From the first Tell to the reply that counts every increment.</summary>
    private static async Task<double> RunActorAsync(ActorSystem system, SharedStateSettings settings, int increments, CancellationToken ct)
    {
        var counter = system.ActorOf(CounterActor.Props(Threads));
        try
        {
            var started = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, Threads).Select(p => Task.Run(() =>
            {
                var increment = new Increment(p);
                for (var i = 0; i < increments; i++) counter.Tell(increment);
            }, ct)));
            var count = await counter.Ask<CountIs>(GetCount.Instance, settings.AskTimeout, ct);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Check(count.Total == (long)Threads * increments, Actor);
            return seconds;
        }
        finally
        {
            system.Stop(counter);
        }
    }

    /// <summary>One owner, two client processes started once; a warm round, then the median of the measured rounds.</summary>
    private static async Task<BenchResult> CrossProcessAsync(SharedStateSettings settings, int increments, CancellationToken ct)
    {
        const int measured = 3;
        await using var owner = CounterOwner.Start(settings, Clients);
        await owner.StartClientsAsync(increments, rounds: measured + 1, ct);
        await owner.RunRoundAsync(first: true, ct);
        var timings = new List<double>();
        for (var round = 0; round < measured; round++) timings.Add((await owner.RunRoundAsync(first: false, ct)).TotalSeconds);
        await owner.WaitForClientsAsync(ct);
        Check((await owner.GetCountAsync(ct)).Total == (long)Clients * increments * (measured + 1), RemoteActor);
        return new BenchResult(RemoteActor, (long)Clients * increments, Median(timings));
    }

    private static async Task<IEnumerable<BenchResult>> ClusterAsync(SharedStateSettings settings, StateBenchSizes sizes, CancellationToken ct)
    {
        var credentials = ReplicatedNode.NewClusterCredentials();
        await using var a = ReplicatedNode.Start(settings, credentials);
        await using var b = ReplicatedNode.Start(settings, credentials);
        await a.JoinAsync(a, ct);
        await b.JoinAsync(a, ct);
        await Task.WhenAll(a.WaitForReplicasAsync(2, ct), b.WaitForReplicasAsync(2, ct));

        async Task<double> WriteAsync(int writes, Func<ReplicatedNode, IWriteConsistency> consistency)
        {
            var started = Stopwatch.GetTimestamp();
            await Task.WhenAll(new[] { a, b }.Select(async node =>
            {
                for (var i = 0; i < writes; i++) await node.IncrementAsync(consistency(node), ct);
            }));
            return Stopwatch.GetElapsedTime(started).TotalSeconds;
        }

        await WriteAsync(sizes.MajorityWrites / 10, node => node.WriteMajority); // warm
        var local = await WriteAsync(sizes.LocalWrites, _ => WriteLocal.Instance);
        var majority = await WriteAsync(sizes.MajorityWrites, node => node.WriteMajority);
        var expected = (ulong)(2 * (sizes.MajorityWrites / 10 + sizes.LocalWrites + sizes.MajorityWrites));
        Check(await a.ReadCountAsync(a.ReadMajority, ct) == expected, DataMajority);
        return [new BenchResult(DataLocal, 2L * sizes.LocalWrites, local), new BenchResult(DataMajority, 2L * sizes.MajorityWrites, majority)];
    }

    private static async Task AddPythonAsync(List<BenchResult> results, string name, string mode, int increments, int rounds, CancellationToken ct)
    {
        if (await PythonRunner.RunAsync("state", [mode, Arg(increments), Arg(rounds)], PythonTimeout, ct) is not { } json) return;
        var items = json.GetProperty("items").GetInt64();
        Check(json.GetProperty("total").GetInt64() == items, name);
        results.Add(new BenchResult(name, items, json.GetProperty("seconds").GetDouble()));
    }

    /// <summary>
    /// Runs <paramref name="body"/> on <see cref="Threads"/> threads at once and times them. The
    /// threads spin at the start line rather than block, so that they really overlap: a thread
    /// woken late from a wait could finish a million increments before the other one starts.
    /// </summary>
    private static double TimeThreads(Action body)
    {
        var ready = 0;
        var go = false;
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            System.Threading.Interlocked.Increment(ref ready);
            while (!Volatile.Read(ref go)) Thread.SpinWait(20);
            body();
        })).ToList();
        threads.ForEach(t => t.Start());
        while (Volatile.Read(ref ready) < Threads) Thread.Yield();
        var started = Stopwatch.GetTimestamp();
        Volatile.Write(ref go, true);
        threads.ForEach(t => t.Join());
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static void Check(bool correct, string competitor)
    {
        if (!correct) throw new InvalidOperationException($"{competitor} computed a wrong total");
    }

    private static string Arg(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>How much each row of <see cref="StateBenchmark"/> does: the command's sizes, or smaller ones for a spec.</summary>
/// <param name="Increments">Increments per thread, in process (Python's threads too).</param>
/// <param name="ClientIncrements">Increments per client process and round (Python's Value too).</param>
/// <param name="ManagerIncrements">Increments per process through Python's Manager proxies.</param>
/// <param name="LocalWrites">GCounter increments per node with WriteLocal.</param>
/// <param name="MajorityWrites">GCounter increments per node with WriteMajority.</param>
/// <param name="Rounds">Measured rounds in process and in Python.</param>
/// <param name="WarmUp">How long the in-process rows warm up (at a tenth of their size) before the rounds; zero skips it.</param>
internal sealed record StateBenchSizes(int Increments, int ClientIncrements, int ManagerIncrements, int LocalWrites, int MajorityWrites, int Rounds, TimeSpan WarmUp)
{
    /// <summary>The command's sizes.</summary>
    public static StateBenchSizes Default { get; } = new(
        StateBenchmark.Increments, StateBenchmark.ClientIncrements, StateBenchmark.ManagerIncrements,
        StateBenchmark.LocalWrites, StateBenchmark.MajorityWrites, Rounds: 5, WarmUp: TimeSpan.FromSeconds(2));
}
