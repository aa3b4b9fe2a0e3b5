using System.Globalization;
using Actors.Coordination;
using Actors.Security;
using Akka.Actor;
using SharedState.Counter;

namespace SharedState.Processes;

/// <summary>
/// The client role (<c>SharedState client --owner ADDRESS --slot N --increments M [--rounds R]</c>):
/// a separate OS process that takes the owner's TLS credentials from the first line of its standard
/// input, resolves the owner's counter and barrier by address and uses the references exactly as it
/// would local ones: <c>Tell</c> for each increment, <c>Ask</c> to confirm. Python's counterpart is a
/// process holding a <c>Value</c> or a <c>Manager</c> proxy.
/// </summary>
public static class CounterClient
{
    public const string Usage = "usage: SharedState client --owner akka.ssl.tcp://shared-state@127.0.0.1:PORT --slot N --increments M [--rounds R]\n" +
        "       (started by the owner, which writes its TLS credentials on the client's standard input)";

    /// <summary>Runs the client role; returns the process exit code (0 done, 1 failed, 2 bad arguments).</summary>
    /// <param name="args">The arguments after <c>client</c>.</param>
    /// <param name="input">Standard input: the owner's credential line comes first.</param>
    /// <param name="output">Where each confirmed round is reported.</param>
    /// <param name="error">Where usage and failures are reported.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader input, TextWriter output, TextWriter error)
    {
        if (Parse(args) is not var (owner, slot, increments, rounds))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var settings = SharedStateSettings.Default;
        TlsPolicy credentials;
        try
        {
            credentials = await CredentialChannel.ReadAsync(input, WireSecuritySettings.Create(settings.RemoteNode).HandOffTimeout);
        }
        catch (Exception e) when (e is TimeoutException or InvalidDataException)
        {
            await error.WriteLineAsync($"client {slot}: no credentials from the owner: {e.Message}");
            return 1;
        }
        var system = credentials.CreateActorSystem("shared-state-client", settings.RemoteNode);
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
                // The owner's wire runs TLS only: a plain akka.tcp address could never be reached.
                case "--owner" when value.StartsWith("akka.ssl.tcp://", StringComparison.Ordinal): owner = value; break;
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
