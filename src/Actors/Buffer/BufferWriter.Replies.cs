using System.Threading.Channels;
using Akka.Actor;

namespace Actors.Buffer;

// The writer face's other half: what the buffer's replies do (credit, acknowledgements,
// completion), how staged items become batches, and the sends, made outside the lock in order.
internal sealed partial class BufferWriter<T> : ChannelWriter<T>
{
    /// <summary>Replies of the buffer actor, on its thread.</summary>
    private void Receive(object message)
    {
        var outbox = default(Outbox);
        using (_gate.Hold())
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
                    FlushIfIdle(ref outbox);
                    break;
                case ItemsWanted:
                    _itemsWanted = true;
                    FlushIfIdle(ref outbox);
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

        if (_credit > 0)
        {
            FaceWaiter<bool>.ClaimAll(_spaceWaiters, ref outbox.Woken);
        }

        if (FaceWaiter<bool>.HasLive(_puts) || FaceWaiter<bool>.HasLive(_spaceWaiters))
        {
            AskForCredit(ref outbox);
        }
    }

    /// <summary>
    /// The common case of a busy producer, with nothing to send or settle: a slot is reserved,
    /// nobody waits ahead, and a batch is on its way (or the staged items are being held), so the
    /// item leaves later with the others.
    /// </summary>
    private bool TryStageQuietly(T item)
    {
        using (_gate.Hold())
        {
            if (_credit == 0 || _puts.Count > 0 || _closed is not null)
            {
                return false;
            }

            Stage(item);
            if (!_writing && MustFlush)
            {
                // The held items now make a batch: the slow path sends it.
                _stagedCount--;
                _credit++;
                return false;
            }

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

    /// <summary>
    /// Sends the staged items unless a batch is on its way (then they leave after its answer) or
    /// nobody needs them yet (see <see cref="MustFlush"/>).
    /// </summary>
    private void FlushIfIdle(ref Outbox outbox)
    {
        if (!_writing && _stagedCount > 0 && MustFlush)
        {
            TakeBatch(ref outbox);
        }
    }

    /// <summary>
    /// Staged items must leave now: a consumer wants items, half a window has gathered, no slot is
    /// left to add more, a caller here waits, a producer said it is done, or the face is closed.
    /// Nothing else holds them back, so no item waits while anyone waits for it.
    /// </summary>
    private bool MustFlush =>
        _stagedCount >= Math.Max(1, _window / 2) || _credit == 0 || _itemsWanted || _donesPending > 0 || _closed is not null
        || _puts.Count > 0 || _spaceWaiters.Count > 0;

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
        _itemsWanted = false;
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

    /// <summary>No more puts here: waiting calls fail, unused slots go back, staged items still leave.</summary>
    private void Close(Exception reason, ref Outbox outbox)
    {
        _closed ??= reason;
        FaceWaiter<bool>.ClaimAll(_puts, ref outbox.Failed);
        FaceWaiter<bool>.ClaimAll(_spaceWaiters, ref outbox.Refused);

        outbox.Release += _credit;
        _credit = 0;
        FlushIfIdle(ref outbox);
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
