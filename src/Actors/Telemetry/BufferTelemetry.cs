using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Actors.Telemetry;

/// <summary>
/// What one bounded buffer reports: items put and taken (counted as the buffer applies them), and
/// the values its gauges read — its fill level and the producers and consumers waiting — written by
/// the buffer's owner after each change, never read from its state.
/// </summary>
internal sealed class BufferTelemetry : IDisposable
{
    private static readonly ConcurrentDictionary<BufferTelemetry, byte> Live = new();

    private static readonly Counter<long> ItemsPut = ActorsTelemetry.Meter.CreateCounter<long>(
        "actors.buffer.items.put", "{item}", "Items that went into a bounded buffer.");

    private static readonly Counter<long> ItemsTaken = ActorsTelemetry.Meter.CreateCounter<long>(
        "actors.buffer.items.taken", "{item}", "Items handed out of a bounded buffer to its consumers.");

    private readonly TagList _tags;
    private readonly TagList _producers;
    private readonly TagList _consumers;
    private int _items, _waitingProducers, _waitingConsumers;

    static BufferTelemetry()
    {
        ActorsTelemetry.Meter.CreateObservableUpDownCounter("actors.buffer.items", ObserveItems,
            "{item}", "Items in a bounded buffer now (its fill level).");
        ActorsTelemetry.Meter.CreateObservableUpDownCounter("actors.buffer.waiting", ObserveWaiting,
            "{request}", "Producers held while a bounded buffer is full, and consumers parked while it is empty (actors.buffer.side).");
    }

    /// <param name="buffer">The buffer's name (its actor's).</param>
    public BufferTelemetry(string buffer)
    {
        _tags = new TagList { { TagNames.Buffer, buffer } };
        _producers = new TagList { { TagNames.Buffer, buffer }, { TagNames.BufferSide, "producer" } };
        _consumers = new TagList { { TagNames.Buffer, buffer }, { TagNames.BufferSide, "consumer" } };
        Live.TryAdd(this, 0);
    }

    /// <summary><paramref name="count"/> items went in.</summary>
    public void Put(int count)
    {
        if (count > 0 && ItemsPut.Enabled) ItemsPut.Add(count, _tags);
    }

    /// <summary><paramref name="count"/> items were handed out.</summary>
    public void Taken(int count)
    {
        if (count > 0 && ItemsTaken.Enabled) ItemsTaken.Add(count, _tags);
    }

    /// <summary>Stores what the gauges read.</summary>
    public void Observe(int items, int waitingProducers, int waitingConsumers)
    {
        Volatile.Write(ref _items, items);
        Volatile.Write(ref _waitingProducers, waitingProducers);
        Volatile.Write(ref _waitingConsumers, waitingConsumers);
    }

    public void Dispose() => Live.TryRemove(this, out _);

    private static IEnumerable<Measurement<int>> ObserveItems()
    {
        foreach (var buffer in Live.Keys) yield return new Measurement<int>(Volatile.Read(ref buffer._items), buffer._tags);
    }

    private static IEnumerable<Measurement<int>> ObserveWaiting()
    {
        foreach (var buffer in Live.Keys)
        {
            yield return new Measurement<int>(Volatile.Read(ref buffer._waitingProducers), buffer._producers);
            yield return new Measurement<int>(Volatile.Read(ref buffer._waitingConsumers), buffer._consumers);
        }
    }
}
