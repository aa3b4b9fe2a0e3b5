using Akka.Actor;

namespace SharedState.Reentrancy;

/// <summary>
/// The actor version of re-acquiring a lock you hold, and why it deadlocks. Python's
/// <c>deposit()</c> takes an <c>RLock</c> and calls <c>balance()</c>, which takes it again; an RLock
/// lets the same thread in twice. This ledger does the same by asking itself for its balance inside
/// the <see cref="Deposit"/> handler. But the actor handles one message at a time, and while the
/// handler awaits, its <see cref="GetBalance"/> sits in the mailbox behind the message being
/// handled: it can never be answered, and the deposit fails when the Ask times out.
/// </summary>
/// <remarks>Do not write this. <see cref="Ledger"/> is the fix.</remarks>
public sealed class SelfAskingLedger : ReceiveActor
{
    private long _balance;

    public SelfAskingLedger(TimeSpan selfAskTimeout)
    {
        Receive<GetBalance>(_ => Sender.Tell(new Balance(_balance)));
        ReceiveAsync<Deposit>(async deposit =>
        {
            var caller = Sender;
            try
            {
                var current = await Self.Ask<Balance>(GetBalance.Instance, selfAskTimeout);
                _balance = current.Amount + deposit.Amount;
                caller.Tell(new Deposited(_balance));
            }
            catch (AskTimeoutException e)
            {
                caller.Tell(new DepositFailed($"{nameof(AskTimeoutException)}: {e.Message}"));
            }
        });
    }

    /// <summary>Props of the deadlocking ledger; its self-Ask gives up after <paramref name="selfAskTimeout"/>.</summary>
    public static Props Props(TimeSpan selfAskTimeout) => Akka.Actor.Props.Create(() => new SelfAskingLedger(selfAskTimeout));
}
