using System.CommandLine;
using Actors.Scenarios;
using Akka.Actor;
using ProducerConsumer;

namespace Actors.Cli.Commands;

/// <summary><c>actors demo</c>: the seed's scenarios, answered with actors, one after another.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var command = new Command("demo", "Run the seed's scenarios with actors: producer/consumer (Q4), then the pool (Q2, Q3, Q1).");
        common.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var config = common.Load(parse);
            var system = ActorSystem.Create("actors", config);
            try
            {
                var output = Console.Out;
                await output.WriteLineAsync("== Question 4: one producer adds to a list, one consumer removes; the buffer actor owns the list (no lock)");
                await ProducerConsumerScenario.RunAsync(system, output, ct: cancellationToken);
                var where = parse.GetValue(common.Mode) == "processes" ? "worker processes" : "threads of this process";
                await output.WriteLineAsync();
                await output.WriteLineAsync($"== Question 2: Pool(4).map(square, range(10)), workers on {where}");
                await PoolScenarios.RunSquaresAsync(system, output, cancellationToken);
                await output.WriteLineAsync();
                await output.WriteLineAsync($"== Question 3: four CPU-bound sum(range(1000000)) tasks in parallel, workers on {where}");
                await PoolScenarios.RunSumRangeAsync(system, output, cancellationToken);
                await output.WriteLineAsync();
                await output.WriteLineAsync("== Question 1: I/O-bound work (simulated waits) overlaps on many workers");
                await PoolScenarios.RunSleepAsync(system, output, cancellationToken);
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
}
