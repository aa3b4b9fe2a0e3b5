namespace Actors.Buffer;

/// <summary>
/// The part of a buffer's capacity that lies outside its list: slots reserved by producers and not
/// yet filled, and items handed to consumers for a <see cref="BufferProtocol.Demand"/> and not yet reported
/// consumed, per party. Plain bookkeeping owned by one <see cref="BufferActor{T}"/>.
/// </summary>
/// <typeparam name="TParty">What identifies a producer or consumer (an actor reference).</typeparam>
internal sealed class CapacityLedger<TParty>
    where TParty : notnull
{
    /// <summary>Unfilled reserved slots per producer; no entry means none.</summary>
    private readonly Dictionary<TParty, int> _reserved = [];

    /// <summary>Unreported items per consumer; no entry means none.</summary>
    private readonly Dictionary<TParty, int> _held = [];

    /// <summary>Sum of the reserved slots.</summary>
    public int Reserved { get; private set; }

    /// <summary>Sum of the held items.</summary>
    public int Held { get; private set; }

    /// <summary>The producers that hold reserved slots.</summary>
    public IEnumerable<TParty> Reservers => _reserved.Keys;

    /// <summary>The consumers that hold items they have not reported consumed.</summary>
    public IEnumerable<TParty> Holders => _held.Keys;

    public int ReservedBy(TParty producer) => _reserved.GetValueOrDefault(producer);

    public void Reserve(TParty producer, int count)
    {
        _reserved[producer] = ReservedBy(producer) + count;
        Reserved += count;
    }

    /// <summary>Takes up to <paramref name="count"/> of the producer's reserved slots back; returns how many it held.</summary>
    public int Unreserve(TParty producer, int count) => Subtract(_reserved, producer, count, reserved: true);

    public void Hold(TParty consumer, int count)
    {
        _held[consumer] = _held.GetValueOrDefault(consumer) + count;
        Held += count;
    }

    /// <summary>Forgets up to <paramref name="count"/> of the consumer's held items; returns how many it held.</summary>
    public int Consume(TParty consumer, int count) => Subtract(_held, consumer, count, reserved: false);

    private int Subtract(Dictionary<TParty, int> counts, TParty party, int count, bool reserved)
    {
        var had = counts.GetValueOrDefault(party);
        var taken = Math.Clamp(count, 0, had);
        if (had - taken == 0)
        {
            counts.Remove(party);
        }
        else
        {
            counts[party] = had - taken;
        }

        if (reserved)
        {
            Reserved -= taken;
        }
        else
        {
            Held -= taken;
        }

        return taken;
    }
}
