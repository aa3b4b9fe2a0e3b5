using System.CommandLine;
using Actors.Cli.Commands;
using Actors.Protocol;
using Actors.Security;
using Akka.Actor;

namespace Actors.Cli.Bench;

/// <summary>
/// The far side of <see cref="RemoteFloor"/>, a process of its own (<c>actors bench-remote-floor</c>,
/// hidden): it takes the floor's TLS identity on standard input, as a worker process takes its
/// pool's, starts an actor system with one actor that squares each <see cref="FloorChunk"/> it is
/// sent and sends it back, prints where it listens, and stops when its input ends.
/// </summary>
internal static class RemoteFloorHost
{
    /// <summary>The hidden command word.</summary>
    public const string CommandName = "bench-remote-floor";

    /// <summary>The squaring actor's name under <c>/user</c>.</summary>
    public const string ActorName = "square";

    public static Command Create()
    {
        var command = new Command(CommandName, "The far side of the bench's bare Akka.Remote floor (started by actors bench processes).") { Hidden = true };
        command.SetAction(async (_, cancellationToken) =>
        {
            var policy = await CredentialChannel.ReadAsync(Console.In, TimeSpan.FromSeconds(30), cancellationToken);
            var system = policy.CreateActorSystem(RemoteFloor.SystemName, RemoteFloor.Config($"akka.remote.trusted-selection-paths = [\"/user/{ActorName}\"]"));
            system.ActorOf(Props.Create(() => new SquareActor()), ActorName);
            Console.WriteLine(WorkerHostOutput.Listening(Environment.ProcessId, ((ExtendedActorSystem)system).Provider.DefaultAddress));
            try
            {
                await Console.In.ReadToEndAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Stopped by a signal: as the end of input.
            }
            await system.Terminate();
            return CommandLine.Ok;
        });
        return command;
    }

    /// <summary>What a user writes to serve requests: square in place, answer the sender.</summary>
    private sealed class SquareActor : ReceiveActor
    {
        public SquareActor() => Receive<FloorChunk>(chunk =>
        {
            var values = chunk.Values;
            for (var i = 0; i < values.Length; i++) values[i] = checked(values[i] * values[i]);
            Sender.Tell(chunk);
        });
    }
}
