using Actors.Coordination;
using Akka.Actor;

namespace SharedState.Events;

/// <summary>Published on the EventStream to show what a late subscriber misses.</summary>
/// <param name="Name">Which event this is.</param>
public sealed record DoorEvent(string Name);

/// <summary>What the Event row observed.</summary>
/// <param name="WaitingBeforeSet">Waiters the latch held before it was set.</param>
/// <param name="ReleasedBySet">Waiters answered when it was set.</param>
/// <param name="LateWaiterAnswered">Whether a waiter that came after the set was answered (at once, with no second set).</param>
/// <param name="LateSubscriberFirstSaw">The first EventStream event a subscriber that came after "opened" received.</param>
public sealed record EventRowResult(int WaitingBeforeSet, int ReleasedBySet, bool LateWaiterAnswered, string LateSubscriberFirstSaw)
{
    public IEnumerable<string> Describe()
    {
        yield return $"latch actor: {WaitingBeforeSet} waiters held while clear, {ReleasedBySet} released by one set; a waiter arriving after the set {(LateWaiterAnswered ? "was answered at once" : "was NOT answered")}";
        yield return $"EventStream for contrast: a subscriber that came after \"opened\" was published first saw \"{LateSubscriberFirstSaw}\" (no replay)";
    }
}

/// <summary><c>threading.Event</c> → a latch actor that remembers it is set; the EventStream beside it forgets.</summary>
public static class EventRow
{
    public const int Waiters = 3;

    public static async Task<EventRowResult> RunAsync(ActorSystem system, SharedStateSettings settings, CancellationToken ct = default)
    {
        var latch = system.ActorOf(LatchActor.Props());
        try
        {
            // Each Ask is in the latch's mailbox when it returns, so the state below counts them all.
            var waiters = Enumerable.Range(0, Waiters).Select(_ => latch.Ask<LatchSet>(AwaitLatch.Instance, settings.AskTimeout, ct)).ToArray();
            var before = await latch.Ask<LatchState>(GetLatchState.Instance, settings.AskTimeout, ct);
            latch.Tell(SetLatch.Instance);
            var released = (await Task.WhenAll(waiters)).Length;
            var late = await latch.Ask<LatchSet>(AwaitLatch.Instance, settings.AskTimeout, ct);

            return new EventRowResult(before.Waiting, released, late is not null, await LateSubscriberFirstSawAsync(system, settings, ct));
        }
        finally
        {
            system.Stop(latch);
        }
    }

    /// <summary>Publishes "opened", then subscribes, then publishes "marker": the subscriber's first event shows whether "opened" was replayed.</summary>
    private static async Task<string> LateSubscriberFirstSawAsync(ActorSystem system, SharedStateSettings settings, CancellationToken ct)
    {
        system.EventStream.Publish(new DoorEvent("opened"));
        var inbox = Inbox.Create(system);
        try
        {
            system.EventStream.Subscribe(inbox.Receiver, typeof(DoorEvent));
            system.EventStream.Publish(new DoorEvent("marker"));
            var first = (DoorEvent)await inbox.ReceiveAsync(settings.AskTimeout).WaitAsync(ct);
            return first.Name;
        }
        finally
        {
            system.EventStream.Unsubscribe(inbox.Receiver);
            inbox.Dispose();
        }
    }
}
