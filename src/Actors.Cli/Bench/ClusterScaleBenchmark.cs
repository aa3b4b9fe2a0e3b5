using System.Diagnostics;
using System.Globalization;

namespace Actors.Cli.Bench;

/// <summary>
/// <c>actors bench cluster-scale</c>: a seed and <see cref="Members"/> worker members of one worker
/// each on this machine, beside a seed and 2 members of <see cref="Members"/>/2 workers each (the
/// same 16 workers): how long until all are up and serve the pool, what a member costs in memory,
/// the map throughput of each, and kill → map done at 16 members.
/// </summary>
public static class ClusterScaleBenchmark
{
    /// <summary>Worker members of the wide cluster.</summary>
    public const int Members = 16;

    /// <summary>Squares per throughput run.</summary>
    public const int Items = 1_000_000;

    public const string Wide = "WorkerPool, cluster: 16 worker nodes x 1, TLS";
    public const string Narrow = "WorkerPool, cluster: 2 worker nodes x 8, TLS";

    public static async Task<BenchOutcome> RunAsync(int rounds, TextWriter? progress, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using var wide = await BenchCluster.StartAsync(tls: true, Members, 1, ct);
        var wideUp = Stopwatch.GetElapsedTime(started).TotalSeconds;
        started = Stopwatch.GetTimestamp();
        await using var narrow = await BenchCluster.StartAsync(tls: true, 2, Members / 2, ct);
        var narrowUp = Stopwatch.GetElapsedTime(started).TotalSeconds;
        progress?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"16 members up in {wideUp:0.0} s, 2 members in {narrowUp:0.0} s"));

        var inputs = Enumerable.Range(0, Items).Select(i => (long)i).ToArray();
        var expected = new BenchExpectation(Items, PoolBenchBaselines.SumOfSquaresBelow(Items));
        var plan = new BenchPlan("cluster-scale", $"cluster at {Members} members",
        [
            new(string.Create(CultureInfo.InvariantCulture, $"{Items:N0} x square on 16 workers"), Narrow,
            [
                new(Narrow, Items, expected, c => ProcessesBenchRuns.MapAsync(Narrow, narrow.Pool, inputs, null, c)),
                new(Wide, Items, expected, c => ProcessesBenchRuns.MapAsync(Wide, wide.Pool, inputs, null, c)),
            ]),
        ]);
        var throughput = await BenchHarness.RunAsync(plan, rounds, BenchHarness.DefaultWarmUp, progress, ct);
        var wideMemory = ResidentMiB(wide.Nodes.Skip(1).Select(node => node.Pid));
        var narrowMemory = ResidentMiB(narrow.Nodes.Skip(1).Select(node => node.Pid));
        var seedMemory = ResidentMiB([wide.Nodes[0].Pid]);

        var kill = await ClusterFailureRuns.RunAsync($"SIGKILL at {Members} members", "KILL", ClusterBenchmark.SleepInputs * 4, ct, Members, 1);
        progress?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SIGKILL at {Members} members: map done {kill.Done:0.00} s after the signal"));
        return throughput with
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"cluster at {Members} members: {Items:N0} x square on 16 workers over 16 members x 1 against 2 members x 8; a member killed mid-map"),
            Environment = throughput.Environment with { LoadAverageAfter = BenchEnvironment.ReadLoadAverage() },
            Notes =
            [
                .. throughput.Notes,
                string.Create(CultureInfo.InvariantCulture, $"time until all up and serving the pool: {Members} members {wideUp:0.0} s, 2 members {narrowUp:0.0} s (processes started at once, TLS)"),
                string.Create(CultureInfo.InvariantCulture, $"resident memory per worker member after the throughput runs: {Members} x 1 worker: {wideMemory}; 2 x {Members / 2} workers: {narrowMemory}; the seed: {seedMemory}"),
                string.Create(CultureInfo.InvariantCulture, $"SIGKILL of a worker member at {Members} members mid-map ({ClusterBenchmark.SleepInputs * 4} x 20 ms, one run): detected (unreachable or downed) {kill.Unreachable:0.00} s, chunks queued again {kill.Requeued:0.00} s, map done {kill.Done:0.00} s after the signal; the same map without a failure {kill.CleanMap:0.00} s"),
            ],
            Rows = [.. throughput.Rows, .. ClusterBenchmark.FailureRows($"SIGKILL at {Members} members", ClusterBenchmark.SleepInputs * 4, [kill])],
        };
    }

    /// <summary>Lines comparing the medians.</summary>
    public static IEnumerable<string> Describe(BenchOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Find(Wide) is { } row)
            yield return string.Create(CultureInfo.InvariantCulture, $"side: {Wide} moves squares at {row.Ratio:0.00}x the rate of {Narrow} (medians)");
    }

    /// <summary>Median, least and most resident set size of the processes, from /proc.</summary>
    private static string ResidentMiB(IEnumerable<int> pids)
    {
        var sizes = pids.Select(Resident).Where(size => size > 0).Order().ToArray();
        if (sizes.Length == 0) return "not readable";
        return string.Create(CultureInfo.InvariantCulture, $"median {sizes[sizes.Length / 2]:0} MiB (least {sizes[0]:0}, most {sizes[^1]:0})");
    }

    private static double Resident(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
