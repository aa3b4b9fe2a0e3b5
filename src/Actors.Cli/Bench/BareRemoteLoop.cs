using System.Diagnostics;
using Actors.Processes;
using Actors.Protocol;
using Akka.Actor;

namespace Actors.Cli.Bench;

/// <summary>
/// The floor under the pool's per-task cost: plain Akka.Remote request/response. Each of N worker
/// nodes (processes of the same <c>actors</c> host the pool uses) answers Akka's own
/// <see cref="Identify"/> with <see cref="ActorIdentity"/>; a driver keeps two requests outstanding
/// per node, as the pool keeps two chunks in flight per worker, and counts the replies. No task
/// table, no chunking, no retries, no serializer of ours.
/// </summary>
internal static class BareRemoteLoop
{
    public static async Task<double> RunAsync(ActorSystem system, int requests, int processes, CancellationToken ct)
    {
        var nodes = new List<Process>();
        try
        {
            var addresses = new List<Address>();
            for (var i = 0; i < processes; i++)
            {
                var (process, address) = await StartNodeAsync(ct);
                nodes.Add(process);
                addresses.Add(address);
            }
            var responders = new IActorRef[addresses.Count];
            for (var i = 0; i < responders.Length; i++)
            {
                var identity = await system.ActorSelection(addresses[i] + WorkerHostArguments.WorkersPath)
                    .Ask<ActorIdentity>(new Identify(0), TimeSpan.FromSeconds(30), ct);
                responders[i] = identity.Subject ?? throw new InvalidOperationException($"worker node {addresses[i]} has no {WorkerHostArguments.WorkersPath}");
            }
            await RoundAsync(system, responders, requests / 10, ct); // warm
            var started = Stopwatch.GetTimestamp();
            await RoundAsync(system, responders, requests, ct);
            return Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        finally
        {
            foreach (var node in nodes)
            {
                try { node.Kill(); } catch (InvalidOperationException) { }
                node.Dispose();
            }
        }
    }

    private static async Task RoundAsync(ActorSystem system, IActorRef[] responders, int requests, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var driver = system.ActorOf(Props.Create(() => new Driver(responders, requests, 2, done)));
        await using var _ = ct.Register(() => done.TrySetCanceled());
        await done.Task.WaitAsync(TimeSpan.FromMinutes(2), ct);
        system.Stop(driver);
    }

    private static async Task<(Process, Address)> StartNodeAsync(CancellationToken ct)
    {
        // The same worker host a pool starts.
        var start = WorkerHostCommand.StartInfo("", new WorkerHostArguments { ParentPid = Environment.ProcessId, Overrides = ["actors.security.tls.enabled = off"] });
        var process = Process.Start(start)!;
        while (await process.StandardOutput.ReadLineAsync(ct) is { } line)
        {
            if (WorkerHostOutput.TryParseListening(line, out var address)) return (process, Address.Parse(address));
        }
        throw new InvalidOperationException("a worker node exited before it was listening");
    }

    private sealed class Driver : ReceiveActor
    {
        public Driver(IActorRef[] responders, int requests, int window, TaskCompletionSource done)
        {
            long sent = 0, received = 0;
            Receive<ActorIdentity>(_ =>
            {
                if (++received == requests) done.TrySetResult();
                else if (sent < requests) Sender.Tell(new Identify(sent++));
            });
            foreach (var responder in responders)
                for (var i = 0; i < window && sent < requests; i++) responder.Tell(new Identify(sent++));
        }
    }
}
