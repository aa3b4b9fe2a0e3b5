using Akka.Actor;

namespace SharedState.Conditions;

/// <summary>
/// <c>threading.Condition</c> → the actor holds back the messages its state cannot serve yet.
/// Python's consumer writes <c>with cond: while balance &lt; amount: cond.wait()</c> and the
/// producer <c>cond.notify_all()</c>. Here a <see cref="Withdraw"/> the balance does not cover is
/// stashed (the caller simply has no reply yet), and each <see cref="PayIn"/> unstashes them all so
/// they are tried again, in arrival order, before any newer message: the while-loop around
/// <c>wait()</c> and <c>notify_all()</c>, with no lock and no spurious wake-up.
/// </summary>
/// <remarks>
/// When the condition is a whole state rather than a per-message test, <c>Become</c> is the tool,
/// as the latch (<c>src/Actors/Coordination/LatchActor.cs</c>) switches behaviour when set. The
/// bounded buffer (<c>src/Actors/Buffer/BufferActor.cs</c>) holds back the course's consumers and
/// producers the same way, in queues of its own: takes while it is empty, puts while it is full.
/// </remarks>
public sealed class Account : ReceiveActor, IWithUnboundedStash
{
    private long _balance;
    private int _waiting;

    public Account()
    {
        Receive<PayIn>(payIn =>
        {
            _balance += payIn.Amount;
            Sender.Tell(new PaidIn(_balance));
            _waiting = 0;
            Stash.UnstashAll();
        });
        Receive<Withdraw>(withdraw =>
        {
            if (_balance < withdraw.Amount)
            {
                Stash.Stash();
                _waiting++;
                return;
            }
            _balance -= withdraw.Amount;
            Sender.Tell(new Withdrawn(withdraw.Amount, _balance));
        });
        Receive<GetAccountState>(_ => Sender.Tell(new AccountState(_balance, _waiting)));
    }

    public IStash Stash { get; set; } = null!;

    /// <summary>Props of an empty account.</summary>
    public static Props Props() => Akka.Actor.Props.Create(() => new Account());
}
