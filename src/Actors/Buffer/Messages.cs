namespace Actors.Buffer;

// The protocol of BufferActor<T>. Items are typed: a buffer of int carries int[] batches, never a
// boxed object per item. Every message is an IBufferMessage, so one serializer binding would cover
// the family; none is configured because the buffer serves the actors of its own process, and the
// generic item messages never meet a wire.
//
// Two ways to produce:
//   - Put / PutBatch: answered with Accepted once the items are in the buffer; a full buffer holds
//     the put (a producer's unanswered puts are its own bound).
//   - Reserve (or PutBatch.ReserveMore), then Put / PutBatch into the reserved slots: a reserved
//     slot counts against the capacity from the moment it is granted, so a producer may accept
//     items before they reach the buffer without the bound ever being exceeded.
// Two ways to consume:
//   - Take: the items handed out leave the buffer's account at once.
//   - Demand, then Consumed: the items handed out still count against the capacity until the
//     consumer reports them consumed.
// Reserved slots and demanded items count against the same capacity as the items that
// BoundedBuffer<T>'s faces put and take (they share the buffer's state, see BufferCore), so the
// bound covers everything, wherever it sits. RoomWanted and Completing ask the parties that hold
// room to give it back when another producer (an actor or a face caller) waits or the buffer completes.

/// <summary>
/// Marker for every message of the bounded-buffer protocol, so that one serializer binding covers
/// the whole family.
/// </summary>
public interface IBufferMessage;

/// <summary>
/// The messages of the bounded-buffer protocol, grouped so that their short names (<c>Put</c>,
/// <c>Take</c>, <c>Complete</c> …) never clash with a caller's own members: write
/// <c>BufferProtocol.Complete.Instance</c>, or import them with <c>using static Actors.Buffer.BufferProtocol;</c>.
/// </summary>
public static class BufferProtocol
{
    /// <summary>
    /// Command: add one item. Answered with <see cref="Accepted"/> once the item is in the buffer (at
    /// once when there is room or the sender holds a reserved slot, later when a consumer makes room),
    /// or with <see cref="PutRefused"/> when the buffer no longer accepts items.
    /// </summary>
    /// <typeparam name="T">The buffer's item type.</typeparam>
    /// <param name="Item">The item to add.</param>
    public sealed record Put<T>(T Item) : IBufferMessage;

    /// <summary>
    /// Command: add several items, in order. Answered with one <see cref="Accepted"/> when every item
    /// is in the buffer; a batch larger than the free room goes in piece by piece as room appears,
    /// never overtaken by a later put. A batch that fits in the sender's reserved slots goes in at once,
    /// even after the buffer was completed (the slots were promised).
    /// </summary>
    /// <typeparam name="T">The buffer's item type.</typeparam>
    /// <param name="Items">The items to add; the list must not change after it is sent.</param>
    /// <param name="ReserveMore">
    /// Slots to reserve for the sender once the items are in, as far as room allows at that moment
    /// (granted in <see cref="Accepted.Granted"/>; nothing waits for room). Saves a
    /// <see cref="Reserve"/> round trip to a producer that keeps a window of reserved slots.
    /// </param>
    public sealed record PutBatch<T>(IReadOnlyList<T> Items, int ReserveMore = 0) : IBufferMessage
    {
        /// <summary>The items to add, first to last.</summary>
        public IReadOnlyList<T> Items { get; init; } = Items ?? throw new ArgumentNullException(nameof(Items));
    }

    /// <summary>Reply to a put: all of its items are now in the buffer.</summary>
    /// <param name="Count">How many items the put carried.</param>
    /// <param name="Granted">Slots newly reserved for the sender, as its <see cref="PutBatch{T}.ReserveMore"/> asked.</param>
    public sealed record Accepted(int Count, int Granted = 0) : IBufferMessage;

    /// <summary>
    /// Reply to a put or a <see cref="Reserve"/> that arrived after the buffer was completed; none of
    /// its items were added and no slot was reserved.
    /// </summary>
    /// <param name="Count">How many items were refused (0 for a refused reservation).</param>
    /// <param name="Reason">Why.</param>
    public sealed record PutRefused(int Count, string Reason) : IBufferMessage;

    /// <summary>
    /// Command: reserve up to <paramref name="Count"/> slots for the sender's next puts. Answered with
    /// <see cref="Reserved"/> as soon as at least one slot is free (waiting in line with held puts), or
    /// with <see cref="PutRefused"/> once the buffer is completed. Reserved slots count against the
    /// capacity until the sender fills them with puts or gives them back with <see cref="Release"/>.
    /// </summary>
    /// <param name="Count">Most slots wanted; at least 1.</param>
    public sealed record Reserve(int Count) : IBufferMessage
    {
        /// <summary>Most slots wanted.</summary>
        public int Count { get; init; } = Count >= 1
            ? Count
            : throw new ArgumentOutOfRangeException(nameof(Count), Count, "A Reserve must ask for at least 1 slot.");
    }

    /// <summary>Reply to <see cref="Reserve"/>: this many slots (at least 1) are now the sender's.</summary>
    /// <param name="Count">Slots granted.</param>
    public sealed record Reserved(int Count) : IBufferMessage;

    /// <summary>Command: give back up to <paramref name="Count"/> of the sender's unused reserved slots. No reply.</summary>
    /// <param name="Count">Slots given back.</param>
    public sealed record Release(int Count) : IBufferMessage;

    /// <summary>
    /// Event sent when a producer starts waiting for room, to the parties that hold room: a producer
    /// holding reserved slots gives back with <see cref="Release"/> those it does not need now; a
    /// consumer holding items for a <see cref="BufferProtocol.Demand"/> reports with <see cref="BufferProtocol.Consumed"/> what it
    /// has consumed (at the latest with its next item). No party at rest keeps room from one that works.
    /// </summary>
    public sealed record RoomWanted : IBufferMessage
    {
        /// <summary>The only instance.</summary>
        public static RoomWanted Instance { get; } = new();

        private RoomWanted() { }
    }

    /// <summary>
    /// Event sent to a producer holding reserved slots while a consumer waits for items: when the
    /// consumer starts waiting, and after the producer's batch is answered or its slots granted while
    /// one still waits. A producer that keeps accepted items back for a larger batch sends them now.
    /// </summary>
    public sealed record ItemsWanted : IBufferMessage
    {
        /// <summary>The only instance.</summary>
        public static ItemsWanted Instance { get; } = new();

        private ItemsWanted() { }
    }

    /// <summary>
    /// Event sent, when the buffer completes, to every producer that still holds reserved slots: put
    /// what those slots were reserved for, then <see cref="Release"/> the rest; the buffer reports
    /// <see cref="Completed"/> to consumers only after that.
    /// </summary>
    public sealed record Completing : IBufferMessage
    {
        /// <summary>The only instance.</summary>
        public static Completing Instance { get; } = new();

        private Completing() { }
    }

    /// <summary>
    /// Command: remove up to <paramref name="Max"/> items. Answered with <see cref="Taken{T}"/> as soon
    /// as at least one item exists (the request waits inside the buffer until then), or with
    /// <see cref="Completed"/> once the buffer is completed and empty.
    /// </summary>
    /// <param name="Max">Most items wanted; at least 1. The buffer caps it at its <c>max-batch</c>.</param>
    public sealed record Take(int Max) : IBufferMessage
    {
        /// <summary>Most items wanted.</summary>
        public int Max { get; init; } = Max >= 1
            ? Max
            : throw new ArgumentOutOfRangeException(nameof(Max), Max, "A Take must ask for at least 1 item.");
    }

    /// <summary>
    /// Command: as <see cref="Take"/>, but the items handed out keep counting against the capacity
    /// until the sender reports them with <see cref="BufferProtocol.Consumed"/>; for a consumer that holds items ahead
    /// of its user.
    /// </summary>
    /// <param name="Max">Most items wanted; at least 1. The buffer caps it at its <c>max-batch</c>.</param>
    /// <param name="Consumed">Items of earlier demands handed to their user since the last report (see <see cref="BufferProtocol.Consumed"/>).</param>
    public sealed record Demand(int Max, int Consumed = 0) : IBufferMessage
    {
        /// <summary>Most items wanted.</summary>
        public int Max { get; init; } = Max >= 1
            ? Max
            : throw new ArgumentOutOfRangeException(nameof(Max), Max, "A Demand must ask for at least 1 item.");
    }

    /// <summary>Command: this many items received for a <see cref="BufferProtocol.Demand"/> were handed to their user. No reply.</summary>
    /// <param name="Count">Items consumed since the last report.</param>
    public sealed record Consumed(int Count) : IBufferMessage;

    /// <summary>Reply to <see cref="Take"/> or <see cref="BufferProtocol.Demand"/>: between 1 and the asked number of items, oldest first.</summary>
    /// <typeparam name="T">The buffer's item type.</typeparam>
    /// <param name="Items">The removed items.</param>
    public sealed record Taken<T>(IReadOnlyList<T> Items) : IBufferMessage;

    /// <summary>
    /// Command: withdraw every <see cref="Take"/> and <see cref="BufferProtocol.Demand"/> of the sender that is still
    /// waiting. Each withdrawn request is answered with <see cref="TakeCancelled"/>; one that was
    /// already served is not affected (its <see cref="Taken{T}"/> is on its way), so no item is lost.
    /// </summary>
    public sealed record CancelTake : IBufferMessage
    {
        /// <summary>The only instance.</summary>
        public static CancelTake Instance { get; } = new();

        private CancelTake() { }
    }

    /// <summary>Reply to <see cref="CancelTake"/> for each request that was still waiting; it received no item.</summary>
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
    /// Command: accept no further puts or reservations. Puts that already wait for room, and puts into
    /// slots already reserved, still go in; consumers receive everything left and then
    /// <see cref="Completed"/>.
    /// </summary>
    public sealed record Complete : IBufferMessage
    {
        /// <summary>The only instance.</summary>
        public static Complete Instance { get; } = new();

        private Complete() { }
    }

    /// <summary>
    /// Reply to <see cref="Take"/> or <see cref="BufferProtocol.Demand"/> once the buffer is completed and drained;
    /// also sent to the buffer's observer at that moment. No item will ever follow.
    /// </summary>
    public sealed record Completed : IBufferMessage
    {
        /// <summary>The only instance.</summary>
        public static Completed Instance { get; } = new();

        private Completed() { }
    }

    /// <summary>
    /// Internal event: the state the buffer actor shares with its faces changed in a way the actor
    /// asked to hear of (room or items appeared, the buffer completed or drained, a face caller waits
    /// on room or items that parties of the protocol hold).
    /// </summary>
    internal sealed record CoreChanged : IBufferMessage
    {
        /// <summary>The only instance.</summary>
        public static CoreChanged Instance { get; } = new();

        private CoreChanged() { }
    }

    /// <summary>Query: answered with a <see cref="BufferSnapshot{T}"/> of the buffer as it is now.</summary>
    public sealed record GetSnapshot : IBufferMessage
    {
        /// <summary>The only instance.</summary>
        public static GetSnapshot Instance { get; } = new();

        private GetSnapshot() { }
    }

    /// <summary>
    /// Event sent to the buffer's observer each time items enter the buffer, in the order the buffer
    /// applied the changes.
    /// </summary>
    /// <typeparam name="T">The buffer's item type.</typeparam>
    /// <param name="Items">The items that went in, oldest first.</param>
    /// <param name="Contents">The whole buffer right after they went in.</param>
    public sealed record ItemsAdded<T>(IReadOnlyList<T> Items, IReadOnlyList<T> Contents) : IBufferMessage;

    /// <summary>
    /// Event sent to the buffer's observer each time items leave the buffer, in the order the buffer
    /// applied the changes.
    /// </summary>
    /// <typeparam name="T">The buffer's item type.</typeparam>
    /// <param name="Items">The items that left, oldest first.</param>
    /// <param name="Contents">The whole buffer right after they left.</param>
    public sealed record ItemsRemoved<T>(IReadOnlyList<T> Items, IReadOnlyList<T> Contents) : IBufferMessage;
}

/// <summary>
/// Reply to <see cref="BufferProtocol.GetSnapshot"/>. <c>Items.Count + Reserved + HeldByConsumers</c> never
/// exceeds <see cref="Capacity"/>.
/// </summary>
/// <typeparam name="T">The buffer's item type.</typeparam>
/// <param name="Items">Every item in the buffer, oldest first (a copy).</param>
/// <param name="Capacity">Most items the buffer accounts for at once.</param>
/// <param name="Reserved">Slots reserved by producers and not yet filled.</param>
/// <param name="HeldByConsumers">Items handed out for a <see cref="BufferProtocol.Demand"/> and not yet reported <see cref="BufferProtocol.Consumed"/>.</param>
/// <param name="WaitingPuts">Puts and reservations waiting for room: actors' messages and face callers (<c>PutAsync</c>, <c>WriteAsync</c>, <c>WaitToWriteAsync</c>).</param>
/// <param name="WaitingTakes">Takes waiting for an item: actors' takes and demands and face callers (<c>TakeAsync</c>, <c>ReadAsync</c>, <c>WaitToReadAsync</c>).</param>
/// <param name="IsCompleted">Whether the buffer refuses new puts.</param>
public sealed record BufferSnapshot<T>(
    IReadOnlyList<T> Items,
    int Capacity,
    int Reserved,
    int HeldByConsumers,
    int WaitingPuts,
    int WaitingTakes,
    bool IsCompleted) : IBufferMessage;
