using Actors.Telemetry;
using Akka.Actor;

namespace Actors.Buffer;

// What the buffer's instruments read (BufferInstruments): the core is where every item goes in and
// comes out, whether through the actor's protocol or the faces, so it is counted here once. The
// counts are kept whether anyone listens or not (a field increment per change, inside the gate);
// reading them is the listener's cost, at its collection.
internal sealed partial class BufferCore<T> : IObservedBuffer
{
    /// <summary>Producers the actor holds now (held puts and parked reservations), as it last said in <see cref="Settle"/>.</summary>
    private int _actorWaitingProducers;

    /// <summary>Takes and demands the actor holds now, as it last said in <see cref="Settle"/>.</summary>
    private int _actorWaitingConsumers;

    /// <summary>The buffer's name as its measurements are tagged: its actor's name, once attached.</summary>
    public string Name { get; private set; } = "";

    public BufferReading Read()
    {
        using (Enter())
        {
            return new BufferReading(
                _items.Appended,
                _items.Removed,
                _items.Count,
                _items.Capacity,
                _actorWaitingProducers + FaceWaiter<bool>.CountLive(_blockedWriters) + FaceWaiter<bool>.CountLive(_writeWaiters),
                _actorWaitingConsumers + FaceWaiter<T>.CountLive(_blockedReaders) + FaceWaiter<bool>.CountLive(_readWaiters));
        }
    }

    /// <summary>Its actor started: measured under that actor's name from now on.</summary>
    private void Measure(IActorRef actor)
    {
        Name = actor.Path.Name;
        BufferInstruments.Track(this);
    }

    /// <summary>Its actor stopped: no longer measured.</summary>
    private void Unmeasure() => BufferInstruments.Forget(this);
}
