using System.CommandLine;
using Actors.Cli.Bench;

namespace Actors.Cli.Commands;

/// <summary><c>actors bench NAME</c>: runs competitors side by side in one run and prints their ratios.</summary>
internal static class BenchCommand
{
    /// <summary>A benchmark on the shared harness: interleaved rounds, min and median, checked results.</summary>
    private sealed record HarnessBenchmark(
        Func<int, TextWriter?, CancellationToken, Task<BenchOutcome>> Run,
        Func<BenchOutcome, IEnumerable<string>> Targets);

    /// <summary>A benchmark not yet moved onto the harness: its own rounds, one figure per competitor.</summary>
    private sealed record LegacyBenchmark(
        string Title, string Baseline, Func<CancellationToken, Task<IReadOnlyList<BenchResult>>> Run,
        Func<IReadOnlyList<BenchResult>, IEnumerable<string>> Targets);

    private static readonly Dictionary<string, HarnessBenchmark> OnHarness = new()
    {
        ["buffer"] = new(BufferBenchmark.RunAsync, BufferBenchmark.DescribeTargets),
        ["pool"] = new(PoolBenchmark.RunAsync, PoolBenchmark.DescribeTargets),
        ["processes"] = new(ProcessesBenchmark.RunAsync, ProcessesBenchmark.DescribeTargets),
        ["cluster"] = new(ClusterBenchmark.RunAsync, ClusterBenchmark.Describe),
    };

    private static readonly Dictionary<string, LegacyBenchmark> Legacy = new()
    {
        ["state"] = new("state: a shared counter, actor vs lock vs Interlocked (2 threads x 1,000,000), across 2 processes vs Python's multiprocessing.Value (2 x 100,000), across 2 cluster nodes", StateBenchmark.Baseline, StateBenchmark.RunAsync, StateBenchmark.Describe),
        ["tls"] = new("tls: two actor systems over loopback, plain TCP against mutual TLS with a pinned ECDSA P-256 certificate", TlsBenchmark.Baseline, TlsBenchmark.RunAsync, TlsBenchmark.DescribeCost),
    };

    public static Command Create()
    {
        var names = OnHarness.Keys.Concat(Legacy.Keys).ToArray();
        var name = new Argument<string>("name") { Description = $"The benchmark: {string.Join(", ", names)}." };
        name.AcceptOnlyFromAmong(names);
        var json = new Option<bool>("--json") { Description = "Print the header and the rows as one JSON object." };
        var rounds = new Option<int>("--rounds")
        {
            Description = $"Counted rounds after the warm-up round (default {BenchHarness.DefaultRounds}); every competitor runs once per round.",
            DefaultValueFactory = _ => BenchHarness.DefaultRounds,
        };
        rounds.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
                result.AddError($"--rounds must be at least 1 (got {result.GetValueOrDefault<int>()}).");
        });
        var command = new Command("bench", "Run a benchmark: competitors side by side, interleaved, from one run, as ratios. Needs a Release build.") { name, json, rounds };
        command.Validators.Add(result =>
        {
            if (result.GetValue(name) is { } chosen && Legacy.ContainsKey(chosen) && result.GetResult(rounds) is { Implicit: false })
                result.AddError($"--rounds applies to {string.Join(", ", OnHarness.Keys)} only; bench {chosen} is not on the shared harness yet.");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var chosen = parse.GetValue(name)!;
            if (BenchEnvironment.RefusalFor(BenchEnvironment.BuildConfiguration()) is { } refusal)
            {
                await Console.Error.WriteLineAsync($"error: {refusal}");
                return CommandLine.Usage;
            }

            var asJson = parse.GetValue(json);
            if (asJson) JsonOutput.Reserve();
            return OnHarness.TryGetValue(chosen, out var benchmark)
                ? await RunOnHarnessAsync(benchmark, parse.GetValue(rounds), asJson, cancellationToken)
                : await RunLegacyAsync(Legacy[chosen], asJson, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunOnHarnessAsync(HarnessBenchmark benchmark, int rounds, bool asJson, CancellationToken ct)
    {
        BenchOutcome outcome;
        try
        {
            outcome = await benchmark.Run(rounds, Console.Error, ct);
        }
        catch (BenchCheckException e)
        {
            await Console.Error.WriteLineAsync($"benchmark FAILED: {e.Message}");
            return CommandLine.Failed;
        }

        if (asJson)
        {
            JsonOutput.Write(outcome.ToJson());
        }
        else
        {
            outcome.WriteTable(Console.Out);
            Console.WriteLine();
            foreach (var line in benchmark.Targets(outcome)) Console.WriteLine(line);
        }

        return CommandLine.Ok;
    }

    private static async Task<int> RunLegacyAsync(LegacyBenchmark benchmark, bool asJson, CancellationToken ct)
    {
        if (!asJson) await Console.Error.WriteLineAsync($"running {benchmark.Title} …");
        var results = await benchmark.Run(ct);
        if (asJson) JsonOutput.Write(BenchReport.ToJson(results));
        else
        {
            BenchReport.WriteTable(Console.Out, benchmark.Title, results, benchmark.Baseline);
            foreach (var line in benchmark.Targets(results)) Console.WriteLine(line);
        }
        return CommandLine.Ok;
    }
}
