using System.CommandLine;
using Actors.Cli.Bench;

namespace Actors.Cli.Commands;

/// <summary><c>actors bench NAME</c>: runs competitors side by side in one run and prints their ratios.</summary>
internal static class BenchCommand
{
    private sealed record Benchmark(
        string Title, string Baseline, Func<CancellationToken, Task<IReadOnlyList<BenchResult>>> Run,
        Func<IReadOnlyList<BenchResult>, IEnumerable<string>>? Targets = null);

    private static readonly Dictionary<string, Benchmark> Benchmarks = new()
    {
        ["buffer"] = new("buffer: one producer, one consumer, 2,000,000 items, capacity 1024", BufferBenchmark.Baseline, BufferBenchmark.RunAsync),
        ["processes"] = new("processes: the pool over 2 worker processes against Python's Pool(2), chunk size 1, recovery, start-up", ProcessesBenchmark.Baseline, ProcessesBenchmark.RunAsync, ProcessesBenchmark.DescribeTargets),
        ["state"] = new("state: a shared counter, actor vs lock vs Interlocked (2 threads x 1,000,000), across 2 processes vs Python's multiprocessing.Value (2 x 100,000), across 2 cluster nodes", StateBenchmark.Baseline, StateBenchmark.RunAsync, StateBenchmark.Describe),
        ["tls"] = new("tls: two actor systems over loopback, plain TCP against mutual TLS with a pinned ECDSA P-256 certificate", TlsBenchmark.Baseline, TlsBenchmark.RunAsync, TlsBenchmark.DescribeCost),
        ["cluster"] = new("cluster: 1,000,000 x square on 4 workers over 2 cluster worker nodes against 2 worker processes; a worker node killed (SIGKILL) or frozen (SIGSTOP) mid-map", ClusterBenchmark.Baseline, ClusterBenchmark.RunAsync, ClusterBenchmark.Describe),
        ["pool"] = new("pool: 1,000,000 x square, and 8 x sum-range 10,000,000 on 1 and N workers", PoolBenchmark.Baseline, PoolBenchmark.RunAsync, PoolBenchmark.DescribeTargets),
    };

    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = $"The benchmark: {string.Join(", ", Benchmarks.Keys)}." };
        name.AcceptOnlyFromAmong([.. Benchmarks.Keys]);
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {name, items, seconds, itemsPerSecond}." };
        var command = new Command("bench", "Run a benchmark: competitors side by side, from one run, as ratios.") { name, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var benchmark = Benchmarks[parse.GetValue(name)!];
            var asJson = parse.GetValue(json);
            if (!asJson) await Console.Error.WriteLineAsync($"running {benchmark.Title} …");
            var results = await benchmark.Run(cancellationToken);
            if (asJson) BenchReport.WriteJson(Console.Out, results);
            else
            {
                BenchReport.WriteTable(Console.Out, benchmark.Title, results, benchmark.Baseline);
                foreach (var line in benchmark.Targets?.Invoke(results) ?? []) Console.WriteLine(line);
            }
            return CommandLine.Ok;
        });
        return command;
    }
}
