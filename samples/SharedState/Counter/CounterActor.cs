using Akka.Actor;

namespace SharedState.Counter;

/// <summary>
/// The actor answer to <c>threading.Lock</c> around <c>counter += 1</c>, and to
/// <c>multiprocessing.Value</c>/<c>Array</c>: the counter belongs to this actor alone. It handles one
/// message at a time, so two increments never overlap, and nothing else can reach the numbers, so
/// there is no lock to forget. Other threads, and other processes over Akka.Remote, only send it
/// <see cref="Increment"/>.
/// </summary>
public sealed class CounterActor : ReceiveActor
{
    private readonly long[] _slots;
    private long _total;
    private long _refused;

    public CounterActor(int slots)
    {
        _slots = new long[slots];
        Receive<Increment>(increment =>
        {
            // A bad slot must not throw: a restart would lose the count.
            if ((uint)increment.Slot >= (uint)_slots.Length)
            {
                _refused++;
                return;
            }
            _slots[increment.Slot]++;
            _total++;
        });
        Receive<GetCount>(_ => Sender.Tell(new CountIs(_total, [.. _slots], _refused)));
    }

    /// <summary>Props of a counter with <paramref name="slots"/> per-slot entries.</summary>
    public static Props Props(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        return Akka.Actor.Props.Create(() => new CounterActor(slots));
    }
}
