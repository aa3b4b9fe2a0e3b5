using Akka.Actor;

namespace Actors.Buffer;

/// <summary>A producer waiting inside a <see cref="BufferActor{T}"/> for room: a held put or a parked reservation.</summary>
internal abstract class WaitingProducer(IActorRef producer)
{
    public IActorRef Producer { get; } = producer;
}

/// <summary>A put waiting for room; <see cref="Offset"/> items of it are already in the buffer.</summary>
internal sealed class HeldPut<T>(IActorRef producer, IReadOnlyList<T> items) : WaitingProducer(producer)
{
    public IReadOnlyList<T> Items { get; } = items;

    public int Offset { get; set; }

    public int Remaining => Items.Count - Offset;
}

/// <summary>A <see cref="BufferProtocol.Reserve"/> waiting for room.</summary>
internal sealed class ParkedReserve(IActorRef producer, int count) : WaitingProducer(producer)
{
    public int Count { get; } = count;
}

/// <summary>A <see cref="BufferProtocol.Take"/> or <see cref="BufferProtocol.Demand"/> waiting for items.</summary>
/// <param name="Consumer">Who asked.</param>
/// <param name="Max">Most items wanted.</param>
/// <param name="Holds">A demand: the items keep counting against the capacity until reported consumed.</param>
internal sealed record ParkedTake(IActorRef Consumer, int Max, bool Holds);
