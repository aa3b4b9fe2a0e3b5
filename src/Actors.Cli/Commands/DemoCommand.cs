using System.CommandLine;
using WorkerPoolSample;
using Actors.Security;
using Akka.Actor;
using ProducerConsumer;
using SharedState;

namespace Actors.Cli.Commands;

/// <summary>
/// <c>actors demo [state|all]</c>: the course's scenarios, answered with actors, one after another; with
/// <c>--mode cluster --seeds …</c> the pools' workers are the members of a running cluster, and the
/// demo leaves it when done.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Question 5's rows only (the SharedState sample).</summary>
    public const string State = "state";

    /// <summary>Questions 4, 2, 3 and 1, then question 5.</summary>
    public const string All = "all";

    public static Command Create()
    {
        var common = new CommonOptions();
        var scenario = new Argument<string?>("scenario")
        {
            Description = $"'{State}': question 5 only, every primitive for sharing data and its actor answer; '{All}': questions 4, 2, 3, 1, then 5. Omitted: questions 4, 2, 3 and 1.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        scenario.AcceptOnlyFromAmong(State, All);
        var command = new Command("demo", "Run the course's scenarios with actors: producer/consumer (Q4), then the pool (Q2, Q3, Q1); 'demo state' runs Q5's sharing primitives.")
        {
            scenario,
        };
        common.AddTo(command);
        var seeds = ClusterSubmitter.AddSeeds(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var which = parse.GetValue(scenario);
            var mode = parse.GetValue(common.Mode)!;
            var config = common.Load(parse);
            if (ClusterSubmitter.Check(mode, parse.GetValue(seeds)!, config) is { } error)
            {
                await Console.Error.WriteLineAsync($"error: {error}");
                return CommandLine.Usage;
            }
            var system = ClusterSubmitter.CreateSystem(ClusterSubmitter.WithSeeds(config, parse.GetValue(seeds)!));
            try
            {
                var output = Console.Out;
                if (which != State) await RunQuestionsOneToFourAsync(system, parse.GetValue(common.Mode), output, cancellationToken);
                if (which is State or All)
                {
                    if (which == All) await output.WriteLineAsync();
                    var failures = await StateDemo.RunAsync(system, output, cancellationToken);
                    if (failures > 0) return CommandLine.Failed;
                }
                return CommandLine.Ok;
            }
            catch (OperationCanceledException)
            {
                await Console.Error.WriteLineAsync("demo interrupted");
                return CommandLine.Ok;
            }
            finally
            {
                await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
            }
        });
        return command;
    }

    private static async Task RunQuestionsOneToFourAsync(ActorSystem system, string? mode, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("== Question 4: one producer adds to a list, one consumer removes; the buffer actor owns the list (no lock)");
        await ProducerConsumerScenario.RunAsync(system, output, ct: cancellationToken);
        var where = mode switch
        {
            "processes" => "worker processes",
            ClusterSubmitter.Mode => "the worker members of the cluster",
            _ => "threads of this process",
        };
        await output.WriteLineAsync();
        await output.WriteLineAsync($"== Question 2: Pool(4).map(square, range(10)), workers on {where}");
        await CoursePoolQuestions.RunSquaresAsync(system, output, cancellationToken);
        await output.WriteLineAsync();
        await output.WriteLineAsync($"== Question 3: four CPU-bound sum(range(1000000)) tasks in parallel, workers on {where}");
        await CoursePoolQuestions.RunSumRangeAsync(system, output, cancellationToken);
        await output.WriteLineAsync();
        await output.WriteLineAsync("== Question 1: I/O-bound work (simulated waits) overlaps on many workers");
        await CoursePoolQuestions.RunSleepAsync(system, output, cancellationToken);
    }
}
