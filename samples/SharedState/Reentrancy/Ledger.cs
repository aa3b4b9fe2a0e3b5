using Akka.Actor;

namespace SharedState.Reentrancy;

/// <summary>
/// The fix for <see cref="SelfAskingLedger"/>: inside a handler the actor already has its state to
/// itself, so it reads its balance with a method call. Re-entrancy is a non-question: there is no
/// lock to take twice. (When the follow-up must be a message of its own, the actor sends it with
/// <c>Self.Tell</c> and handles it after the current one, never waiting for it.)
/// </summary>
public sealed class Ledger : ReceiveActor
{
    private long _balance;

    public Ledger()
    {
        Receive<GetBalance>(_ => Sender.Tell(new Balance(CurrentBalance())));
        Receive<Deposit>(deposit =>
        {
            _balance = CurrentBalance() + deposit.Amount;
            Sender.Tell(new Deposited(_balance));
        });
    }

    /// <summary>Props of a ledger starting at 0.</summary>
    public static Props Props() => Akka.Actor.Props.Create(() => new Ledger());

    /// <summary>What the <see cref="GetBalance"/> handler answers, callable from any handler.</summary>
    private long CurrentBalance() => _balance;
}
