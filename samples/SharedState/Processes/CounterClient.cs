using System.Globalization;
using Actors.Coordination;
using Akka.Actor;
using SharedState.Counter;

namespace SharedState.Processes;

/// <summary>
/// The client role (<c>SharedState client --owner ADDRESS --slot N --increments M [--rounds R]</c>):
/// a separate OS process that resolves the owner's counter and barrier by address and uses the
/// references exactly as it would local ones: <c>Tell</c> for each increment, <c>Ask</c> to confirm.
/// Python's counterpart is a process holding a <c>Value</c> or a <c>Manager</c> proxy.
/// </summary>
public static class CounterClient
{
    public const string Usage = "usage: SharedState client --owner akka.tcp://shared-state@127.0.0.1:PORT --slot N --increments M [--rounds R]";

    /// <summary>Runs the client role; returns the process exit code (0 done, 1 failed, 2 bad arguments).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (Parse(args) is not var (owner, slot, increments, rounds))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var settings = SharedStateSettings.Default;
        var system = ActorSystem.Create("shared-state-client", settings.RemoteNode);
        try
        {
            var counter = await system.ActorSelection($"{owner}/user/{CounterOwner.CounterName}").ResolveOne(settings.ClientStartTimeout);
            var barrier = await system.ActorSelection($"{owner}/user/{CounterOwner.BarrierName}").ResolveOne(settings.ClientStartTimeout);
            var increment = new Increment(slot);
            for (var round = 0; round < rounds; round++)
            {
                await barrier.Ask<BarrierPassed>(ArriveAtBarrier.Instance, round == 0 ? settings.ClientStartTimeout : settings.ClientRunTimeout);
                for (var i = 0; i < increments; i++) counter.Tell(increment);
                // Sent after the increments on the same connection, so its answer counts all of them.
                var count = await counter.Ask<CountIs>(GetCount.Instance, settings.ClientRunTimeout);
                var expected = (long)increments * (round + 1);
                if (count.Slots[slot] != expected)
                    throw new InvalidOperationException($"the owner counted {count.Slots[slot]} increments for slot {slot}, expected {expected}");
                await barrier.Ask<BarrierPassed>(ArriveAtBarrier.Instance, settings.ClientRunTimeout);
                await output.WriteLineAsync(Invariant($"client {slot} (pid {Environment.ProcessId}): round {round + 1}: {increments} increments sent, {count.Slots[slot]} confirmed by the owner"));
            }
            return 0;
        }
        catch (Exception e) when (e is AskTimeoutException or ActorNotFoundException or InvalidOperationException)
        {
            await error.WriteLineAsync($"client {slot}: {e.GetType().Name}: {e.Message}");
            return 1;
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static (string Owner, int Slot, int Increments, int Rounds)? Parse(IReadOnlyList<string> args)
    {
        string? owner = null;
        int? slot = null, increments = null;
        var rounds = 1;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--owner": owner = value; break;
                case "--slot" when int.TryParse(value, CultureInfo.InvariantCulture, out var s) && s >= 0: slot = s; break;
                case "--increments" when int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n >= 1: increments = n; break;
                case "--rounds" when int.TryParse(value, CultureInfo.InvariantCulture, out var r) && r >= 1: rounds = r; break;
                default: return null;
            }
        }
        return args.Count % 2 == 0 && owner is not null && slot is { } sl && increments is { } inc ? (owner, sl, inc, rounds) : null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
