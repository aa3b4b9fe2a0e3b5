using System.Threading.Channels;
using Akka.Actor;

namespace Actors.Buffer;

/// <summary>
/// The state a buffer actor shares with its <see cref="BoundedBuffer{T}"/> faces: the items, the
/// room they and the actor protocol's claims take, the callers waiting, and completion. Every
/// operation is one short section inside <see cref="_gate"/>, so a face answers
/// <c>TryWrite</c>/<c>TryRead</c>/<c>Count</c> at once and exactly, as a channel does; the actor
/// applies its protocol's messages (<see cref="BufferProtocol"/>) to the same state on its own
/// thread, and is told (<see cref="BufferProtocol.CoreChanged"/>) when something it waits for appears.
/// </summary>
/// <remarks>
/// Invariants, checked at every entry in Debug builds (<see cref="AssertInvariants"/>): items plus
/// claims never exceed the capacity; a put waits only while there is no room and the buffer is open;
/// a take waits only while there is no item; <see cref="Completion"/> is settled only once the buffer
/// is completed and empty. Waiters are settled inside the gate: their continuations run
/// asynchronously, so no caller's code runs there.
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
internal sealed partial class BufferCore<T>
{
    /// <summary>Guards every field below; held for a few instructions, never across a wait.</summary>
    private readonly FaceGate _gate = new();

    /// <summary>The items, oldest first.</summary>
    private readonly ItemRing<T> _items;

    /// <summary><see cref="ProducerDone"/> calls (from faces and from actors) that complete the buffer.</summary>
    private readonly int _producers;

    /// <summary>Completes once the buffer is completed and empty: successfully, faulted or cancelled, as <see cref="_fault"/> says.</summary>
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Face puts waiting for room, with their items, first come first served.</summary>
    private readonly Queue<PutWaiter<T>> _blockedWriters = new();

    /// <summary>Face callers of <c>WaitToWriteAsync</c> waiting for room.</summary>
    private readonly Queue<FaceWaiter<bool>> _writeWaiters = new();

    /// <summary>Face takes waiting for an item, first come first served.</summary>
    private readonly Queue<TakeWaiter<T>> _blockedReaders = new();

    /// <summary>Face callers of <c>WaitToReadAsync</c> waiting for an item.</summary>
    private readonly Queue<FaceWaiter<bool>> _readWaiters = new();

    /// <summary><see cref="ProducerDone"/> calls so far.</summary>
    private int _producersDone;

    /// <summary>Slots reserved through the actor protocol and not yet filled.</summary>
    private int _reserved;

    /// <summary>Items handed out for a <see cref="BufferProtocol.Demand"/> and not yet reported consumed.</summary>
    private int _held;

    /// <summary>Items of actor puts held inside the actor, which go in even after completion.</summary>
    private int _pendingPuts;

    /// <summary>No more puts or reservations: set by completion or by the actor's stop.</summary>
    private bool _doneWriting;

    /// <summary>The error completion was given (or the actor's stop), passed on to every caller; null for a clean completion.</summary>
    private Exception? _fault;

    /// <summary>Completed and empty: no item will ever follow.</summary>
    private bool _drained;

    /// <summary>The buffer actor, told <see cref="BufferProtocol.CoreChanged"/> when it asked to be.</summary>
    private IActorRef _actor = ActorRefs.Nobody;

    /// <summary>The actor holds puts or reservations until room appears.</summary>
    private bool _actorWantsRoom;

    /// <summary>The actor holds takes until an item appears or the buffer drains.</summary>
    private bool _actorWantsItems;

    /// <summary>A face put waits while actor parties hold claimed room: the actor should ask them to give back what they do not use.</summary>
    private bool _facesWantRoom;

    /// <summary>A face take waits while actor producers hold reserved slots: the actor should ask them for what they keep back.</summary>
    private bool _facesWantItems;

    public BufferCore(int capacity, int producers)
    {
        _items = new ItemRing<T>(capacity);
        _producers = producers;
    }

    /// <summary>Most items accounted for at once.</summary>
    public int Capacity => _items.Capacity;

    /// <summary>Completes once the buffer is completed and every item was taken, as a channel's <see cref="ChannelReader{T}.Completion"/>.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Room nobody has a claim on.</summary>
    private int Free => _items.Capacity - _items.Count - _reserved - _held;

    /// <summary>Tells the core which actor applies the protocol to it; the buffer is measured under that actor's name.</summary>
    public void Attach(IActorRef actor)
    {
        using (Enter())
        {
            _actor = actor;
        }

        Measure(actor);
    }

    /// <summary>Adds <paramref name="item"/> when there is room and the buffer is open.</summary>
    public bool TryWrite(T item)
    {
        using (Enter())
        {
            if (_doneWriting || Free == 0)
            {
                return false;
            }

            AddOne(item);
            return true;
        }
    }

    /// <summary>Adds <paramref name="item"/>, waiting for room.</summary>
    /// <param name="item">The item.</param>
    /// <param name="channelErrors">A closed buffer throws <see cref="ChannelClosedException"/> (the channel face) rather than <see cref="BufferCompletedException"/>.</param>
    /// <param name="ct">Cancels the wait; a cancelled put did not add its item.</param>
    public ValueTask WriteAsync(T item, bool channelErrors, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(ct);
        }

        PutWaiter<T> waiter;
        using (Enter())
        {
            if (_doneWriting)
            {
                return ValueTask.FromException(ClosedError(channelErrors, reading: false));
            }

            if (Free > 0)
            {
                AddOne(item);
                return ValueTask.CompletedTask;
            }

            waiter = new PutWaiter<T>(item, channelErrors);
            _blockedWriters.Enqueue(waiter);
            AskForClaimedRoom();
        }

        waiter.CancelWith(ct);
        return new ValueTask(waiter.Task);
    }

    /// <summary>True once there is room, false once the buffer is completed (faulted when it was completed with an error).</summary>
    public ValueTask<bool> WaitToWriteAsync(CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(ct);
        }

        FaceWaiter<bool> waiter;
        using (Enter())
        {
            if (_doneWriting)
            {
                return _fault is null ? new ValueTask<bool>(false) : ValueTask.FromException<bool>(_fault);
            }

            if (Free > 0)
            {
                return new ValueTask<bool>(true);
            }

            waiter = new FaceWaiter<bool>();
            _writeWaiters.Enqueue(waiter);
            AskForClaimedRoom();
        }

        waiter.CancelWith(ct);
        return new ValueTask<bool>(waiter.Task);
    }

    /// <summary>Enters the gate, checking the invariants in Debug builds.</summary>
    private FaceGate.Scope Enter()
    {
        var scope = _gate.Hold();
        try
        {
            AssertInvariants();
        }
        catch
        {
            scope.Dispose();
            throw;
        }

        return scope;
    }
}
