namespace Actors.Buffer;

// Items travel as `object`: the buffer is a transport that never looks inside an item, so it
// works for any payload without a generic actor type per element type (a generic message
// family would put CLR generic type names on the wire and make one serializer binding per T).
// The cost of `object` (a box per value-type item) is paid once per item; every message carries
// a batch, so the per-message cost of the actor is shared by up to `max-batch` items.

/// <summary>
/// Marker for every message of the bounded-buffer protocol, so that one serializer binding covers
/// the whole family.
/// </summary>
public interface IBufferMessage;

/// <summary>
/// Command: add one item. Answered with <see cref="Accepted"/> once the item is in the buffer (at
/// once when there is room, later when a consumer makes room), or with <see cref="PutRefused"/>
/// when the buffer no longer accepts items.
/// </summary>
/// <param name="Item">The item to add; never <see langword="null"/>.</param>
public sealed record Put(object Item) : IBufferMessage
{
    /// <summary>The item to add.</summary>
    public object Item { get; init; } = Item ?? throw new ArgumentNullException(nameof(Item));
}

/// <summary>
/// Command: add several items, in order. Answered with one <see cref="Accepted"/> when every item
/// is in the buffer; a batch larger than the free room goes in piece by piece as room appears,
/// never overtaken by a later put.
/// </summary>
/// <param name="Items">The items to add; the list must not change after it is sent.</param>
public sealed record PutBatch(IReadOnlyList<object> Items) : IBufferMessage
{
    /// <summary>The items to add, first to last.</summary>
    public IReadOnlyList<object> Items { get; init; } = Items ?? throw new ArgumentNullException(nameof(Items));
}

/// <summary>Reply to <see cref="Put"/> or <see cref="PutBatch"/>: all of its items are now in the buffer.</summary>
/// <param name="Count">How many items the put carried.</param>
public sealed record Accepted(int Count) : IBufferMessage;

/// <summary>Reply to a put that arrived after the buffer was completed; none of its items were added.</summary>
/// <param name="Count">How many items were refused.</param>
/// <param name="Reason">Why the put was refused.</param>
public sealed record PutRefused(int Count, string Reason) : IBufferMessage;

/// <summary>
/// Command: remove up to <paramref name="Max"/> items. Answered with <see cref="Taken"/> as soon as
/// at least one item exists (the request waits inside the buffer until then), or with
/// <see cref="Completed"/> once the buffer is completed and empty.
/// </summary>
/// <param name="Max">Most items wanted; at least 1. The buffer may cap it at its <c>max-batch</c>.</param>
public sealed record Take(int Max) : IBufferMessage
{
    /// <summary>Most items wanted.</summary>
    public int Max { get; init; } = Max >= 1
        ? Max
        : throw new ArgumentOutOfRangeException(nameof(Max), Max, "A Take must ask for at least 1 item.");
}

/// <summary>Reply to <see cref="Take"/>: between 1 and the asked number of items, oldest first.</summary>
/// <param name="Items">The removed items.</param>
public sealed record Taken(IReadOnlyList<object> Items) : IBufferMessage;

/// <summary>
/// Command: withdraw every <see cref="Take"/> of the sender that is still waiting. Each withdrawn
/// take is answered with <see cref="TakeCancelled"/>; a take that was already served is not
/// affected (its <see cref="Taken"/> is on its way), so no item is lost.
/// </summary>
public sealed record CancelTake : IBufferMessage
{
    /// <summary>The only instance.</summary>
    public static CancelTake Instance { get; } = new();

    private CancelTake() { }
}

/// <summary>Reply to <see cref="CancelTake"/> for each take that was still waiting; it received no item.</summary>
public sealed record TakeCancelled : IBufferMessage
{
    /// <summary>The only instance.</summary>
    public static TakeCancelled Instance { get; } = new();

    private TakeCancelled() { }
}

/// <summary>
/// Command: the sending producer will put no more items. When as many producers as the buffer was
/// created for have said so, the buffer completes (see <see cref="Complete"/>).
/// </summary>
public sealed record ProducerDone : IBufferMessage
{
    /// <summary>The only instance.</summary>
    public static ProducerDone Instance { get; } = new();

    private ProducerDone() { }
}

/// <summary>
/// Command: accept no further puts. Puts that already wait for room still go in; consumers receive
/// everything left and then <see cref="Completed"/>.
/// </summary>
public sealed record Complete : IBufferMessage
{
    /// <summary>The only instance.</summary>
    public static Complete Instance { get; } = new();

    private Complete() { }
}

/// <summary>
/// Reply to <see cref="Take"/> once the buffer is completed and drained; also sent to the buffer's
/// observer at that moment. No item will ever follow.
/// </summary>
public sealed record Completed : IBufferMessage
{
    /// <summary>The only instance.</summary>
    public static Completed Instance { get; } = new();

    private Completed() { }
}

/// <summary>Query: answered with a <see cref="BufferSnapshot"/> of the buffer as it is now.</summary>
public sealed record GetSnapshot : IBufferMessage
{
    /// <summary>The only instance.</summary>
    public static GetSnapshot Instance { get; } = new();

    private GetSnapshot() { }
}

/// <summary>Reply to <see cref="GetSnapshot"/>.</summary>
/// <param name="Items">The items in the buffer, oldest first (a copy).</param>
/// <param name="Capacity">Most items the buffer holds.</param>
/// <param name="WaitingPuts">Puts held because the buffer is full.</param>
/// <param name="WaitingTakes">Takes parked because the buffer is empty.</param>
/// <param name="IsCompleted">Whether the buffer refuses new puts.</param>
public sealed record BufferSnapshot(
    IReadOnlyList<object> Items,
    int Capacity,
    int WaitingPuts,
    int WaitingTakes,
    bool IsCompleted) : IBufferMessage;

/// <summary>
/// Event sent to the buffer's observer each time items enter the buffer, in the order the buffer
/// applied the changes.
/// </summary>
/// <param name="Items">The items that went in, oldest first.</param>
/// <param name="Contents">The whole buffer right after they went in.</param>
public sealed record ItemsAdded(IReadOnlyList<object> Items, IReadOnlyList<object> Contents) : IBufferMessage;

/// <summary>
/// Event sent to the buffer's observer each time items leave the buffer, in the order the buffer
/// applied the changes.
/// </summary>
/// <param name="Items">The items that left, oldest first.</param>
/// <param name="Contents">The whole buffer right after they left.</param>
public sealed record ItemsRemoved(IReadOnlyList<object> Items, IReadOnlyList<object> Contents) : IBufferMessage;
