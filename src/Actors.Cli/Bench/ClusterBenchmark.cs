using System.Globalization;
using Actors.Configuration;
using Actors.Pool;
using Actors.Security;

namespace Actors.Cli.Bench;

/// <summary>
/// The pool across cluster members against the pool across worker processes, on one machine in
/// one run, on the shared harness:
/// <list type="bullet">
/// <item>throughput: 1,000,000 × <c>square</c> on 4 workers each way — 2 worker processes × 2 over
/// TLS (the baseline), 2 cluster worker nodes × 2 over TLS and over plain TCP — the clusters and
/// the pool started once, their runs interleaved over the harness's rounds;</item>
/// <item>failure: a worker node killed with SIGKILL (its sockets close) or frozen with SIGSTOP (it
/// goes silent, as a machine that loses power or its network: only the failure detector and the
/// split brain resolver notice) mid-map, split into detection, the resolver's stable-after, and
/// re-running. A failed node is gone, so every failure run starts a cluster of its own; these
/// runs take about 25 s each, so they get fewer rounds (<see cref="FailureRounds"/>), without warm-up.</item>
/// </list>
/// </summary>
public static class ClusterBenchmark
{
    public const int Items = 1_000_000;
    public const string Baseline = "WorkerPool, 2 worker processes x 2, TLS";
    public const string ClusterTls = "WorkerPool, cluster: 2 worker nodes x 2, TLS";
    public const string ClusterPlain = "WorkerPool, cluster: 2 worker nodes x 2, plain TCP";

    /// <summary>Sleeps of a failure run's map: 400 × 20 ms on 4 workers, about 2 s.</summary>
    public const int SleepInputs = 400;

    /// <summary>The most rounds the failure groups run, whatever the throughput's rounds.</summary>
    public const int MaxFailureRounds = 3;

    /// <summary>
    /// The failure groups: the name printed, the signal <c>kill -s</c> takes, and whether the
    /// victim's parent reports its exit to the cluster as <c>cluster up</c> does (supervised), or the
    /// cluster finds out for itself (its port refusing, or the failure detector's silence).
    /// </summary>
    internal static readonly IReadOnlyList<(string Label, string Signal, bool Supervised)> Signals =
        [("SIGKILL supervised", "KILL", true), ("SIGKILL unsupervised", "KILL", false), ("SIGSTOP", "STOP", false)];

    /// <summary>Rounds of each failure group when the throughput runs <paramref name="rounds"/>.</summary>
    public static int FailureRounds(int rounds) => Math.Min(rounds, MaxFailureRounds);

    /// <summary>The competitor of the failure group of <paramref name="label"/> that the phases are compared with.</summary>
    public static string CleanMap(string label) => $"{label}: the same map without a failure";

    public static async Task<BenchOutcome> RunAsync(int rounds, TextWriter? progress, CancellationToken ct)
    {
        var throughput = await ThroughputAsync(Items, rounds, BenchHarness.DefaultWarmUp, progress, ct);
        var failureRounds = FailureRounds(rounds);
        var failures = await FailuresAsync(failureRounds, SleepInputs, progress, ct);
        return throughput with
        {
            Title = string.Create(CultureInfo.InvariantCulture,
                $"cluster: {Items:N0} x square on 4 workers over 2 cluster worker nodes against 2 worker processes; a worker node killed (SIGKILL, its exit reported by its parent or not) or frozen (SIGSTOP) mid-map"),
            Environment = throughput.Environment with { LoadAverageAfter = BenchEnvironment.ReadLoadAverage() },
            Notes =
            [
                .. throughput.Notes,
                string.Create(CultureInfo.InvariantCulture,
                    $"the failure groups ran after the throughput, {failureRounds} round{(failureRounds == 1 ? "" : "s")} each (at most {MaxFailureRounds}; each run about 25 s), the groups' order rotated, no warm-up, every run on a cluster started for it (a failed node is gone)"),
                $"a failure row is one event per run, its 'items/s' events per second; its ratio is the map without a failure (on the same cluster, before the signal) over the phase, medians",
            ],
            Rows = [.. throughput.Rows, .. failures],
        };
    }

    /// <summary>The issue's target: the cluster over TLS at this share of the process pool's rate, at least.</summary>
    internal const double TargetVsProcesses = 0.9;

    /// <summary>
    /// Lines comparing the medians: the target (the cluster's rate over TLS against the process
    /// pool's), which of the two is faster and in how many of the interleaved rounds, the cluster
    /// over plain TCP, and what a failure costs a map.
    /// </summary>
    public static IEnumerable<string> Describe(BenchOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Find(ClusterTls) is { } tls && outcome.Find(Baseline) is { } processes)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"target: {ClusterTls} vs {Baseline} >= {TargetVsProcesses:0.0#}x (medians): {tls.Ratio:0.00#}x, {(tls.Ratio >= TargetVsProcesses ? "met" : "NOT met")}");
            yield return Faster(tls, processes);
        }
        foreach (var name in new[] { ClusterTls, ClusterPlain })
            if (outcome.Find(name) is { } row)
                yield return string.Create(CultureInfo.InvariantCulture, $"side: {name} moves squares at {row.Ratio:0.00}x the rate of {Baseline} (medians)");
        foreach (var (label, _, _) in Signals)
        {
            if (outcome.Find(CleanMap(label)) is { } clean && outcome.Find(Phase(label, "signal -> map done")) is { } done
                && outcome.Find(Phase(label, "signal -> member unreachable (failure detector)")) is { } unreachable
                && outcome.Find(Phase(label, "unreachable -> downed (split brain resolver)")) is { } downed)
            {
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"side: {label} of a worker node mid-map: the map done {done.MedianSeconds:0.00} s after the signal (without a failure it takes {clean.MedianSeconds:0.00} s): {unreachable.MedianSeconds:0.00} s to detect, {downed.MedianSeconds:0.00} s to down (medians of {done.Seconds.Count})");
            }
        }
    }

    /// <summary>
    /// The throughput group: two clusters (TLS and plain) and a pool of 2 worker processes × 2,
    /// started once, then <paramref name="rounds"/> harness rounds of <paramref name="items"/> squares each.
    /// </summary>
    internal static async Task<BenchOutcome> ThroughputAsync(int items, int rounds, TimeSpan warmUp, TextWriter? progress, CancellationToken ct)
    {
        await using var tls = await BenchCluster.StartAsync(tls: true, ct);
        await using var plain = await BenchCluster.StartAsync(tls: false, ct);
        var config = ActorsConfig.Load(new ConfigOptions
        {
            Mode = "processes",
            Overrides = ["actors.pool.processes { count = 2, workers-per-process = 2 }", "akka.actor.deployment./bench.router = round-robin-pool", "akka.loglevel = ERROR"],
        });
        var system = WireSecurity.CreateSystem("bench", config);
        try
        {
            await using var processes = WorkerPool.Create(system, "bench");
            await BenchCluster.UntilAsync(async () => (await processes.GetStatusAsync(ct)).Routees == 4, "4 workers in 2 processes", ct);
            return await BenchHarness.RunAsync(ThroughputPlan(processes, tls.Pool, plain.Pool, items), rounds, warmUp, progress, ct);
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>The throughput plan: one group, <paramref name="items"/> squares on each pool, every output checked after the clock stops.</summary>
    public static BenchPlan ThroughputPlan(WorkerPool processes, WorkerPool clusterTls, WorkerPool clusterPlain, int items)
    {
        var inputs = Enumerable.Range(0, items).Select(i => (long)i).ToArray();
        var expected = new BenchExpectation(items, PoolBenchBaselines.SumOfSquaresBelow(items));
        BenchCompetitor Competitor(string name, WorkerPool pool) =>
            new(name, items, expected, ct => ProcessesBenchRuns.MapAsync(name, pool, inputs, null, ct));
        var title = string.Create(CultureInfo.InvariantCulture, $"cluster: {items:N0} x square on 4 workers over 2 cluster worker nodes against 2 worker processes");
        return new BenchPlan("cluster", title,
        [
            new(string.Create(CultureInfo.InvariantCulture, $"{items:N0} x square on 4 workers"), Baseline,
                [Competitor(Baseline, processes), Competitor(ClusterTls, clusterTls), Competitor(ClusterPlain, clusterPlain)]),
        ]);
    }

    /// <summary>
    /// The failure groups: <paramref name="rounds"/> rounds, each running SIGKILL and SIGSTOP once
    /// (order rotated), each run on a cluster of its own; one row per phase.
    /// </summary>
    internal static async Task<IReadOnlyList<BenchRow>> FailuresAsync(int rounds, int sleeps, TextWriter? progress, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var runs = Signals.ToDictionary(s => s.Label, _ => new List<ClusterFailureTimings>());
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (label, signal, supervised) in BenchHarness.RoundOrder(Signals, round - 1))
            {
                var timings = await ClusterFailureRuns.RunAsync(label, signal, sleeps, ct, supervised: supervised);
                runs[label].Add(timings);
                progress?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"failure round {round}/{rounds}: {label} map done {timings.Done:0.00} s after the signal"));
            }
        }

        return [.. Signals.SelectMany(s => FailureRows(s.Label, sleeps, runs[s.Label]))];
    }

    /// <summary>The rows of one failure group, whose map was <paramref name="sleeps"/> × 20 ms: the clean map (its baseline) and the four phases.</summary>
    public static IEnumerable<BenchRow> FailureRows(string label, int sleeps, IReadOnlyList<ClusterFailureTimings> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var group = string.Create(CultureInfo.InvariantCulture, $"{label} of a worker node mid-map, {sleeps:N0} x 20 ms (one event per run)");
        var clean = BenchHarness.Median([.. runs.Select(r => r.CleanMap)]);
        BenchRow Row(string name, Func<ClusterFailureTimings, double> phase)
        {
            IReadOnlyList<double> seconds = [.. runs.Select(phase)];
            var min = seconds.Min();
            var median = BenchHarness.Median([.. seconds]);
            return new BenchRow(group, name, CleanMap(label), 1, min, median, 1 / min, 1 / median, clean / median, seconds);
        }

        yield return Row(CleanMap(label), r => r.CleanMap);
        yield return Row(Phase(label, "signal -> member unreachable (failure detector)"), r => r.Unreachable);
        yield return Row(Phase(label, "unreachable -> downed (split brain resolver)"), r => r.Downed);
        yield return Row(Phase(label, "signal -> chunks queued again"), r => r.Requeued);
        yield return Row(Phase(label, "signal -> map done"), r => r.Done);
    }

    /// <summary>
    /// Which of two competitors of one group is faster: by their medians, and round by round (the
    /// harness runs every competitor once per round, so a round's two runs met the same load).
    /// </summary>
    internal static string Faster(BenchRow cluster, BenchRow processes)
    {
        var rounds = Math.Min(cluster.Seconds.Count, processes.Seconds.Count);
        var clusterWins = Enumerable.Range(0, rounds).Count(i => cluster.Seconds[i] < processes.Seconds[i]);
        var (faster, wins) = cluster.MedianSeconds < processes.MedianSeconds ? (cluster.Name, clusterWins) : (processes.Name, rounds - clusterWins);
        var by = Math.Max(cluster.MedianSeconds, processes.MedianSeconds) / Math.Min(cluster.MedianSeconds, processes.MedianSeconds);
        return string.Create(CultureInfo.InvariantCulture,
            $"settled: {faster} is faster, by {by:0.00}x (medians), in {wins} of {rounds} rounds run side by side");
    }

    private static string Phase(string label, string phase) => $"{label}: {phase}";
}
