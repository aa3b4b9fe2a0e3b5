using System.Diagnostics;
using System.Globalization;
using Akka.Actor;

namespace SharedState.Reentrancy;

/// <summary>What the RLock row observed.</summary>
/// <param name="SelfAsk">The self-asking ledger's reply to a deposit.</param>
/// <param name="SelfAskSeconds">How long that reply took (the Ask's timeout, spent deadlocked).</param>
/// <param name="Fixed">The fixed ledger's reply to the same deposit.</param>
public sealed record ReentrancyRowResult(ILedgerMessage SelfAsk, double SelfAskSeconds, ILedgerMessage Fixed)
{
    public IEnumerable<string> Describe()
    {
        yield return SelfAsk is DepositFailed failed
            ? string.Create(CultureInfo.InvariantCulture, $"actor that Asks itself inside a handler: deadlocked until its Ask timed out after {SelfAskSeconds:0.00} s ({failed.Reason.Split(':')[0]})")
            : $"actor that Asks itself inside a handler: unexpectedly answered {SelfAsk}";
        yield return Fixed is Deposited deposited
            ? $"the fix, a method call inside the handler: deposited at once, balance {deposited.Balance}"
            : $"the fix, a method call inside the handler: unexpectedly answered {Fixed}";
    }
}

/// <summary><c>threading.RLock</c> → one message at a time: the same deposit to the deadlocking ledger and to the fixed one.</summary>
public static class ReentrancyRow
{
    public const long Amount = 100;

    public static async Task<ReentrancyRowResult> RunAsync(ActorSystem system, SharedStateSettings settings, CancellationToken ct = default)
    {
        var deadlocking = system.ActorOf(SelfAskingLedger.Props(settings.SelfAskTimeout));
        var ledger = system.ActorOf(Ledger.Props());
        try
        {
            var started = Stopwatch.GetTimestamp();
            var selfAsk = await deadlocking.Ask<ILedgerMessage>(new Deposit(Amount), settings.AskTimeout, ct);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var fixedReply = await ledger.Ask<ILedgerMessage>(new Deposit(Amount), settings.AskTimeout, ct);
            return new ReentrancyRowResult(selfAsk, seconds, fixedReply);
        }
        finally
        {
            system.Stop(deadlocking);
            system.Stop(ledger);
        }
    }
}
