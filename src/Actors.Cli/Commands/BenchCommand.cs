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

    private static readonly Dictionary<string, HarnessBenchmark> OnHarness = new()
    {
        ["buffer"] = new(BufferBenchmark.RunAsync, BufferBenchmark.DescribeTargets),
        ["pool"] = new(PoolBenchmark.RunAsync, PoolBenchmark.DescribeTargets),
        ["processes"] = new(ProcessesBenchmark.RunAsync, ProcessesBenchmark.DescribeTargets),
        ["state"] = new(StateBenchmark.RunAsync, StateBenchmark.DescribeTargets),
        ["tls"] = new(TlsBenchmark.RunAsync, TlsBenchmark.DescribeTargets),
        ["cluster"] = new(ClusterBenchmark.RunAsync, ClusterBenchmark.Describe),
        ["cluster-scale"] = new(ClusterScaleBenchmark.RunAsync, ClusterScaleBenchmark.Describe),
    };

    public static Command Create()
    {
        var names = OnHarness.Keys.ToArray();
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
            return await RunOnHarnessAsync(OnHarness[chosen], parse.GetValue(rounds), asJson, cancellationToken);
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
}
