using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Actors.Telemetry;

/// <summary>
/// The bounded buffers' instruments, all observed: each collection reads the buffers alive in this
/// process (<see cref="Track"/>), so a buffer pays nothing per item for being measured, listened to
/// or not: its core counts what goes in and out anyway. Buffers that share a name are summed.
/// </summary>
internal static class BufferInstruments
{
    public const string ItemsPut = "actors.buffer.items.put";
    public const string ItemsTaken = "actors.buffer.items.taken";
    public const string Usage = "actors.buffer.usage";
    public const string Limit = "actors.buffer.limit";
    public const string Waiting = "actors.buffer.waiting";

    /// <summary>Buffers alive in this process.</summary>
    private static readonly ConcurrentDictionary<IObservedBuffer, byte> Live = new();

    static BufferInstruments()
    {
        ActorsTelemetry.Meter.CreateObservableCounter(ItemsPut, () => Observe(reading => reading.Put),
            "{item}", "Items that went into a bounded buffer, through its actor or its faces.");
        ActorsTelemetry.Meter.CreateObservableCounter(ItemsTaken, () => Observe(reading => reading.Taken),
            "{item}", "Items that came out of a bounded buffer to its consumers, through its actor or its faces.");
        ActorsTelemetry.Meter.CreateObservableUpDownCounter(Usage, () => Observe(reading => reading.Items),
            "{item}", "Items in a bounded buffer now (its fill level).");
        ActorsTelemetry.Meter.CreateObservableUpDownCounter(Limit, () => Observe(reading => reading.Capacity),
            "{item}", "Most items a bounded buffer accounts for at once (its capacity).");
        ActorsTelemetry.Meter.CreateObservableUpDownCounter(Waiting, ObserveWaiting,
            "{request}", "Puts and reservations waiting for room in a bounded buffer, and takes waiting for an item (actors.buffer.side: producer, consumer).");
    }

    /// <summary>Counts <paramref name="buffer"/> in the instruments until <see cref="Forget"/>.</summary>
    public static void Track(IObservedBuffer buffer) => Live.TryAdd(buffer, 0);

    public static void Forget(IObservedBuffer buffer) => Live.TryRemove(buffer, out _);

    private static IEnumerable<Measurement<long>> Observe(Func<BufferReading, long> value) =>
        Sum(buffer => [value(buffer.Read())], names: null);

    private static IEnumerable<Measurement<long>> ObserveWaiting() =>
        Sum(buffer =>
        {
            var reading = buffer.Read();
            return [reading.WaitingProducers, reading.WaitingConsumers];
        }, names: ["producer", "consumer"]);

    /// <summary>The values each buffer gives, summed per buffer name (and per <paramref name="names"/>' side, when given).</summary>
    private static IEnumerable<Measurement<long>> Sum(Func<IObservedBuffer, long[]> values, string[]? names)
    {
        var sums = new Dictionary<string, long[]>();
        foreach (var buffer in Live.Keys)
        {
            var read = values(buffer);
            if (!sums.TryGetValue(buffer.Name, out var sum)) sums[buffer.Name] = sum = new long[read.Length];
            for (var i = 0; i < read.Length; i++) sum[i] += read[i];
        }
        foreach (var (name, sum) in sums)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                yield return names is null
                    ? new Measurement<long>(sum[i], new KeyValuePair<string, object?>(TagNames.Buffer, name))
                    : new Measurement<long>(sum[i], new KeyValuePair<string, object?>(TagNames.Buffer, name), new KeyValuePair<string, object?>(TagNames.BufferSide, names[i]));
            }
        }
    }
}

/// <summary>A buffer the instruments read: its name, and its figures now.</summary>
internal interface IObservedBuffer
{
    /// <summary>What its measurements are tagged with (<see cref="TagNames.Buffer"/>): its actor's name.</summary>
    string Name { get; }

    /// <summary>Its figures, read together.</summary>
    BufferReading Read();
}

/// <summary>One buffer's figures at one moment.</summary>
/// <param name="Put">Items that went in over its life.</param>
/// <param name="Taken">Items that came out to consumers over its life.</param>
/// <param name="Items">Items in it now.</param>
/// <param name="Capacity">Its capacity.</param>
/// <param name="WaitingProducers">Puts and reservations waiting for room now (the actor's and the faces').</param>
/// <param name="WaitingConsumers">Takes, demands and waits to read waiting for an item now (the actor's and the faces').</param>
internal readonly record struct BufferReading(long Put, long Taken, long Items, long Capacity, long WaitingProducers, long WaitingConsumers);
