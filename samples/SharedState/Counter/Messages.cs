namespace SharedState.Counter;

/// <summary>Marker for the counter's messages, bound to <see cref="CounterSerializer"/> so that other processes can send them.</summary>
public interface ICounterMessage;

/// <summary>Command: add 1 to the total and to <paramref name="Slot"/>. No reply: increments are fire-and-forget.</summary>
/// <param name="Slot">Which entry of the per-slot array (Python's <c>multiprocessing.Array</c>) also counts it, e.g. the producer's number.</param>
public sealed record Increment(int Slot) : ICounterMessage;

/// <summary>Query: answered with <see cref="CountIs"/>. Sent after one's increments, its reply counts all of them (messages from one sender arrive in order).</summary>
public sealed record GetCount : ICounterMessage
{
    /// <summary>The only instance.</summary>
    public static GetCount Instance { get; } = new();

    private GetCount() { }
}

/// <summary>Reply to <see cref="GetCount"/>.</summary>
/// <param name="Total">Every increment applied so far.</param>
/// <param name="Slots">The increments applied per slot.</param>
/// <param name="Refused">Increments that named a slot the counter does not have (counted nowhere else).</param>
public sealed record CountIs(long Total, IReadOnlyList<long> Slots, long Refused) : ICounterMessage;
