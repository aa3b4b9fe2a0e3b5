using System.Threading.Channels;
using Akka.Actor;

namespace Actors.Buffer;

/// <summary>
/// The producer face of a <see cref="BoundedBuffer{T}"/>: item-by-item puts that travel to the
/// buffer actor in batches. A put is accepted at once when the face holds a reserved slot (credit
/// granted by the buffer, counted against its capacity), otherwise it waits for one. Accepted items
/// wait here until the previous batch is answered, so an idle producer sends one item per message
/// and a busy one sends as many as it put meanwhile, up to its credit.
/// </summary>
/// <remarks>
/// The staging area is guarded by <see cref="_gate"/>, which is not the seed's lock in disguise: it
/// belongs to this producer face alone (consumers never touch it, so producer and consumer never
/// contend), it is held for a few instructions and never across a wait or a send, and the buffer's
/// list is still owned by the actor alone. The buffer actor's replies take it too, once per batch.
/// </remarks>
internal sealed class BufferWriter<T> : ChannelWriter<T>
{
    private readonly Lock _gate = new();

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
        lock (_gate)
        {
            written = _closed is null && _credit > 0 && !FaceWaiter<bool>.HasLive(_puts);
            if (written)
            {
                Stage(item);
                FlushIfIdle(ref outbox);
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
        lock (_gate)
        {
            if (_closed is not null || _credit > 0)
            {
                return new ValueTask<bool>(_closed is null);
            }

            waiter = new FaceWaiter<bool>();
            _spaceWaiters.Enqueue(waiter);
            AskForCredit(ref outbox);
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
        lock (_gate)
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
        lock (_gate)
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
        lock (_gate)
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
        lock (_gate)
        {
            Close(reason, ref outbox);
            outbox.Release = 0;
        }

        Send(outbox);
    }

    /// <summary>Replies of the buffer actor, on its thread.</summary>
    private void Receive(object message)
    {
        var outbox = default(Outbox);
        lock (_gate)
        {
            switch (message)
            {
                case Accepted accepted:
                    _writing = false;
                    _toppingUp = false;
                    _credit += accepted.Granted;
                    Refill(ref outbox);
                    if (!_writing)
                    {
                        // Nothing was staged meanwhile: the ProducerDones wait for no item.
                        outbox.Dones += _donesPending;
                        _donesPending = 0;
                    }

                    break;
                case Reserved reserved:
                    _reserving = false;
                    _credit += reserved.Count;
                    Refill(ref outbox);
                    break;
                case PutRefused refused:
                    _reserving = false;
                    Close(new BufferCompletedException(refused.Reason), ref outbox);
                    break;
                case Completing:
                    Close(new BufferCompletedException("The buffer completed: it accepts no more items."), ref outbox);
                    break;
                case RoomWanted:
                    ReleaseUnlessWaiting(ref outbox);
                    break;
            }
        }

        Send(outbox);
    }

    /// <summary>New credit (or none): waiting puts first, in order, then callers waiting for room; asks again while some still wait.</summary>
    private void Refill(ref Outbox outbox)
    {
        if (_closed is not null)
        {
            outbox.Release += _credit;
            _credit = 0;
            FlushIfIdle(ref outbox);
            return;
        }

        while (_credit > 0 && _puts.TryDequeue(out var put))
        {
            if (put.TryClaim())
            {
                Stage(put.Item);
                (outbox.Settled ??= []).Add(put);
            }
        }

        FlushIfIdle(ref outbox);

        while (_credit > 0 && _spaceWaiters.TryDequeue(out var waiter))
        {
            if (waiter.TryClaim())
            {
                (outbox.Woken ??= []).Add(waiter);
            }
        }

        if (FaceWaiter<bool>.HasLive(_puts) || FaceWaiter<bool>.HasLive(_spaceWaiters))
        {
            AskForCredit(ref outbox);
        }
    }

    /// <summary>
    /// The common case of a busy producer, with nothing to send or settle: a slot is reserved,
    /// nobody waits ahead, and a batch is on its way, so the item leaves with its answer.
    /// </summary>
    private bool TryStageQuietly(T item)
    {
        lock (_gate)
        {
            if (!_writing || _credit == 0 || _puts.Count > 0 || _closed is not null)
            {
                return false;
            }

            Stage(item);
            return true;
        }
    }

    /// <summary>Accepts an item into a reserved slot.</summary>
    private void Stage(T item)
    {
        // Credit that arrives while a batch is on its way lets the staging area outgrow the window.
        if (_stagedCount == _staged.Length)
        {
            Array.Resize(ref _staged, _staged.Length * 2);
        }

        _staged[_stagedCount++] = item;
        _credit--;
    }

    /// <summary>Sends the staged items now unless a batch is on its way (then they leave with its answer).</summary>
    private void FlushIfIdle(ref Outbox outbox)
    {
        if (!_writing && _stagedCount > 0)
        {
            TakeBatch(ref outbox);
        }
    }

    /// <summary>
    /// Hands the staged items to the outbox as the next batch, followed by the pending
    /// <see cref="ProducerDone"/>s; the batch asks the buffer to top the face's slots up to its window.
    /// </summary>
    private void TakeBatch(ref Outbox outbox)
    {
        outbox.Batch = new ArraySegment<T>(_staged, 0, _stagedCount);
        if (_closed is null && !_reserving && _credit < _window)
        {
            outbox.ReserveMore = _window - _credit;
            _toppingUp = true;
        }

        outbox.Dones += _donesPending;
        _donesPending = 0;

        // The next batch will likely be as large as this one: size its array for that.
        _staged = new T[Math.Min(_window, Math.Max(_stagedCount, 1) * 2)];
        _stagedCount = 0;
        _writing = true;
    }

    /// <summary>Asks for slots with a <see cref="Reserve"/>, unless a request or a top-up is already on its way.</summary>
    private void AskForCredit(ref Outbox outbox)
    {
        if (!_reserving && !_toppingUp && _closed is null && _credit < _window)
        {
            _reserving = true;
            outbox.Reserve = _window - _credit;
        }
    }

    /// <summary>
    /// Another producer waits for room: unless a caller here waits for a slot too, the unused slots
    /// go back to the buffer (a resting face would otherwise keep up to its window from others).
    /// </summary>
    private void ReleaseUnlessWaiting(ref Outbox outbox)
    {
        if (_credit > 0 && !FaceWaiter<bool>.HasLive(_puts) && !FaceWaiter<bool>.HasLive(_spaceWaiters))
        {
            outbox.Release += _credit;
            _credit = 0;
        }
    }

    private void Close(Exception reason, ref Outbox outbox)
    {
        _closed ??= reason;
        while (_puts.TryDequeue(out var put))
        {
            if (put.TryClaim())
            {
                (outbox.Failed ??= []).Add(put);
            }
        }

        while (_spaceWaiters.TryDequeue(out var waiter))
        {
            if (waiter.TryClaim())
            {
                (outbox.Refused ??= []).Add(waiter);
            }
        }

        outbox.Release += _credit;
        _credit = 0;
    }

    /// <summary>Sends and settles what a locked section decided, outside the lock, in order.</summary>
    private void Send(in Outbox outbox)
    {
        if (outbox.Batch is { } batch)
        {
            _buffer.Tell(new PutBatch<T>(batch, outbox.ReserveMore), _self);
        }

        for (var i = 0; i < outbox.Dones; i++)
        {
            _buffer.Tell(global::Actors.Buffer.ProducerDone.Instance, _self);
        }

        if (outbox.Reserve > 0)
        {
            _buffer.Tell(new Reserve(outbox.Reserve), _self);
        }

        if (outbox.Release > 0)
        {
            _buffer.Tell(new Release(outbox.Release), _self);
        }

        outbox.Settled?.ForEach(put => put.Succeed(true));
        outbox.Woken?.ForEach(waiter => waiter.Succeed(true));
        outbox.Refused?.ForEach(waiter => waiter.Succeed(false));
        outbox.Failed?.ForEach(put => put.Fail(put.ChannelErrors ? new ChannelClosedException(_closed) : _closed!));
    }

    /// <summary>What a locked section decided to send and settle.</summary>
    private struct Outbox
    {
        public ArraySegment<T>? Batch;
        public int ReserveMore;
        public int Dones;
        public int Reserve;
        public int Release;
        public List<PutWaiter>? Settled;
        public List<FaceWaiter<bool>>? Woken;
        public List<FaceWaiter<bool>>? Refused;
        public List<PutWaiter>? Failed;
    }

    /// <summary>A put waiting for a reserved slot, with its item.</summary>
    private sealed class PutWaiter(T item, bool channelErrors) : FaceWaiter<bool>
    {
        public T Item { get; } = item;

        public bool ChannelErrors { get; } = channelErrors;
    }
}
