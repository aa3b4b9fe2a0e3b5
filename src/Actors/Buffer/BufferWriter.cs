using System.Threading.Channels;
using Akka.Actor;

namespace Actors.Buffer;

/// <summary>
/// The producer face of a <see cref="BoundedBuffer{T}"/>: item-by-item puts that travel to the
/// buffer actor in batches. A put is accepted at once when the face holds a reserved slot (credit
/// granted by the buffer, counted against its capacity), otherwise it waits for one. Accepted items
/// gather here until they are needed: when a consumer waits for items (<see cref="ItemsWanted"/>)
/// they leave at once, alone if need be; otherwise they leave as batches of half the window, or
/// when the face runs out of slots. One batch travels at a time, which keeps them in order.
/// </summary>
/// <remarks>
/// The staging area is guarded by <see cref="_gate"/>, which is not the seed's lock in disguise: it
/// belongs to this producer face alone (consumers never touch it, so producer and consumer never
/// contend), it is held for a few instructions and never across a wait or a send, and the buffer's
/// list is still owned by the actor alone. The buffer actor's replies take it too, once per batch.
/// </remarks>
internal sealed partial class BufferWriter<T> : ChannelWriter<T>
{
    private readonly FaceGate _gate = new();

    /// <summary>The buffer actor.</summary>
    private readonly IActorRef _buffer;

    /// <summary>This face's address, the sender of everything it tells the buffer.</summary>
    private readonly IActorRef _self;

    /// <summary>Most reserved slots this face holds at once; it asks for more when half are used.</summary>
    private readonly int _window;

    /// <summary>Puts waiting for a reserved slot, first come first served.</summary>
    private readonly Queue<PutWaiter> _puts = new();

    /// <summary>Callers of <see cref="WaitToWriteAsync"/> waiting for a reserved slot.</summary>
    private readonly Queue<FaceWaiter<bool>> _spaceWaiters = new();

    /// <summary>Reserved slots not yet used by an accepted put.</summary>
    private int _credit;

    /// <summary>Accepted items not yet sent; each holds a reserved slot.</summary>
    private T[] _staged = new T[1];

    private int _stagedCount;

    /// <summary>A batch is on its way: the next waits for its <see cref="Accepted"/>, which keeps batches in order.</summary>
    private bool _writing;

    /// <summary>A consumer waits for items (<see cref="ItemsWanted"/>): the next batch leaves without holding.</summary>
    private bool _itemsWanted;

    /// <summary>A <see cref="Reserve"/> is unanswered.</summary>
    private bool _reserving;

    /// <summary>The batch on its way asked for slots (<see cref="PutBatch{T}.ReserveMore"/>); its answer brings them.</summary>
    private bool _toppingUp;

    /// <summary><see cref="ProducerDone"/> calls to send after the items staged before them.</summary>
    private int _donesPending;

    /// <summary>Why puts are refused (the buffer completed or stopped); null while open.</summary>
    private Exception? _closed;

    public BufferWriter(IActorRef buffer, IActorRefProvider provider, int window)
    {
        _buffer = buffer;
        _window = window;
        _self = new FaceEndpoint(provider, Receive, Stopped);
    }

    public override bool TryWrite(T item)
    {
        if (TryStageQuietly(item))
        {
            return true;
        }

        var outbox = default(Outbox);
        bool written;
        using (_gate.Hold())
        {
            written = _closed is null && _credit > 0 && !FaceWaiter<bool>.HasLive(_puts);
            if (written)
            {
                Stage(item);
                FlushIfIdle(ref outbox);
            }
            else
            {
                // A producer that only polls must still get room: ask for it now.
                AskForCredit(ref outbox);
            }
        }

        Send(outbox);
        return written;
    }

    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        var outbox = default(Outbox);
        FaceWaiter<bool> waiter;
        using (_gate.Hold())
        {
            if (_closed is not null || _credit > 0)
            {
                return new ValueTask<bool>(_closed is null);
            }

            waiter = new FaceWaiter<bool>();
            _spaceWaiters.Enqueue(waiter);
            AskForCredit(ref outbox);
            FlushIfIdle(ref outbox);
        }

        Send(outbox);
        waiter.CancelWith(cancellationToken);
        return new ValueTask<bool>(waiter.Task);
    }

    public override ValueTask WriteAsync(T item, CancellationToken cancellationToken = default) =>
        PutAsync(item, channelErrors: true, cancellationToken);

    public override bool TryComplete(Exception? error = null) => Complete();

    /// <summary>Puts one item; completes once it holds a reserved slot (at once while the face has credit).</summary>
    /// <param name="item">The item.</param>
    /// <param name="channelErrors">Whether a closed buffer throws <see cref="ChannelClosedException"/> (the channel face) rather than <see cref="BufferCompletedException"/>.</param>
    /// <param name="ct">Cancels the wait; a cancelled put did not add its item.</param>
    public ValueTask PutAsync(T item, bool channelErrors, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(ct);
        }

        if (TryStageQuietly(item))
        {
            return ValueTask.CompletedTask;
        }

        var outbox = default(Outbox);
        PutWaiter waiter;
        using (_gate.Hold())
        {
            if (_closed is not null)
            {
                return ValueTask.FromException(channelErrors ? new ChannelClosedException(_closed) : _closed);
            }

            if (_credit > 0 && !FaceWaiter<bool>.HasLive(_puts))
            {
                Stage(item);
                FlushIfIdle(ref outbox);
                waiter = null!;
            }
            else
            {
                waiter = new PutWaiter(item, channelErrors);
                _puts.Enqueue(waiter);
                AskForCredit(ref outbox);
                FlushIfIdle(ref outbox);
            }
        }

        Send(outbox);
        if (waiter is null)
        {
            return ValueTask.CompletedTask;
        }

        waiter.CancelWith(ct);
        return new ValueTask(waiter.Task);
    }

    /// <summary>Tells the buffer, after every item staged so far, that one producer is done.</summary>
    public void ProducerDone()
    {
        var outbox = default(Outbox);
        using (_gate.Hold())
        {
            _donesPending++;
            if (!_writing)
            {
                if (_stagedCount > 0)
                {
                    TakeBatch(ref outbox);
                }
                else
                {
                    outbox.Dones = _donesPending;
                    _donesPending = 0;
                }
            }
        }

        Send(outbox);
    }

    /// <summary>Refuses further puts here and completes the buffer; items already accepted still go in.</summary>
    /// <returns>Whether this call closed the face.</returns>
    public bool Complete()
    {
        var outbox = default(Outbox);
        bool first;
        using (_gate.Hold())
        {
            first = _closed is null;
            Close(new BufferCompletedException("Complete was called: the buffer accepts no more items."), ref outbox);
        }

        Send(outbox);
        _buffer.Tell(global::Actors.Buffer.Complete.Instance, _self);
        return first;
    }

    /// <summary>The buffer actor stopped: every waiting put fails.</summary>
    public void Stopped(Exception reason)
    {
        var outbox = default(Outbox);
        using (_gate.Hold())
        {
            Close(reason, ref outbox);

            // Nothing more goes to a stopped actor; only the waiting callers are settled.
            outbox = new Outbox { Failed = outbox.Failed, Refused = outbox.Refused };
        }

        Send(outbox);
    }
}
