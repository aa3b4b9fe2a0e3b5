using Akka.Actor;

namespace Actors.Coordination;

/// <summary>
/// Python's <c>threading.Event</c> as an actor: a latch that remembers it is set. Waiters
/// (<see cref="AwaitLatch"/>) are held while it is clear and all answered when it is set; a waiter
/// that arrives after the set is answered at once. That memory is what the EventStream lacks: it
/// delivers an event only to those subscribed when it is published.
/// </summary>
/// <remarks>
/// Unlike <c>Event.wait()</c>, waiting blocks no thread: a waiter is a pending reply, and a caller
/// that must not wait forever bounds its Ask. A waiter that stops before the set is simply answered
/// into dead letters. Reachable from other processes: the messages are bound to a serializer.
/// </remarks>
public sealed class LatchActor : ReceiveActor
{
    private readonly List<IActorRef> _waiters = [];

    /// <summary>Used by Akka through <see cref="Props"/>.</summary>
    public LatchActor(bool initiallySet)
    {
        if (initiallySet) BecomeSet();
        else BecomeClear();
    }

    /// <summary>Props of a latch, clear unless <paramref name="initiallySet"/>.</summary>
    public static Props Props(bool initiallySet = false) => Akka.Actor.Props.Create(() => new LatchActor(initiallySet));

    private void BecomeClear() => Become(() =>
    {
        Receive<AwaitLatch>(_ => _waiters.Add(Sender));
        Receive<SetLatch>(_ =>
        {
            foreach (var waiter in _waiters) waiter.Tell(LatchSet.Instance);
            _waiters.Clear();
            BecomeSet();
        });
        Receive<ClearLatch>(_ => { });
        Receive<GetLatchState>(_ => Sender.Tell(new LatchState(false, _waiters.Count)));
    });

    private void BecomeSet() => Become(() =>
    {
        Receive<AwaitLatch>(_ => Sender.Tell(LatchSet.Instance));
        Receive<SetLatch>(_ => { });
        Receive<ClearLatch>(_ => BecomeClear());
        Receive<GetLatchState>(_ => Sender.Tell(new LatchState(true, 0)));
    });
}
