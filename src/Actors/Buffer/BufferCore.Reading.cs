using System.Diagnostics.CodeAnalysis;
using Akka.Actor;

namespace Actors.Buffer;

// The core's consumer side, and Balance: what every change does to the callers that wait.
internal sealed partial class BufferCore<T>
{
    /// <summary>Items in the buffer now.</summary>
    public int Count
    {
        get
        {
            using (Enter())
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Removes the oldest item when there is one.</summary>
    public bool TryRead([MaybeNullWhen(false)] out T item)
    {
        using (Enter())
        {
            if (_items.Count == 0)
            {
                item = default;
                return false;
            }

            item = _items.RemoveFirst();
            Balance();
            return true;
        }
    }

    /// <summary>The oldest item, left in the buffer, when there is one.</summary>
    public bool TryPeek([MaybeNullWhen(false)] out T item)
    {
        using (Enter())
        {
            var found = _items.Count > 0;
            item = found ? _items.PeekFirst() : default;
            return found;
        }
    }

    /// <summary>Removes the oldest item, waiting for one.</summary>
    /// <param name="channelErrors">A drained buffer throws as a channel does rather than with <see cref="BufferCompletedException"/>.</param>
    /// <param name="ct">Cancels the wait; a cancelled take took nothing.</param>
    public ValueTask<T> ReadAsync(bool channelErrors, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(ct);
        }

        TakeWaiter<T> waiter;
        using (Enter())
        {
            if (_items.Count > 0)
            {
                var item = _items.RemoveFirst();
                Balance();
                return new ValueTask<T>(item);
            }

            if (_drained)
            {
                return ValueTask.FromException<T>(ClosedError(channelErrors, reading: true));
            }

            waiter = new TakeWaiter<T>(channelErrors);
            _blockedReaders.Enqueue(waiter);
            AskForReservedItems();
        }

        waiter.CancelWith(ct);
        return new ValueTask<T>(waiter.Task);
    }

    /// <summary>True once there is an item, false once the buffer is drained (faulted when it was completed with an error).</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(ct);
        }

        FaceWaiter<bool> waiter;
        using (Enter())
        {
            if (_items.Count > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (_drained)
            {
                return _fault is null ? new ValueTask<bool>(false) : ValueTask.FromException<bool>(_fault);
            }

            waiter = new FaceWaiter<bool>();
            _readWaiters.Enqueue(waiter);
            AskForReservedItems();
        }

        waiter.CancelWith(ct);
        return new ValueTask<bool>(waiter.Task);
    }

    /// <summary>Adds one item; there is room and the buffer is open.</summary>
    private void AddOne(T item)
    {
        _items.AppendOne(item);
        Balance();
    }

    /// <summary>
    /// After any change: waiting takes get items, waiting puts get room (their items go in, in
    /// order), wait-to-read and wait-to-write callers and the actor hear of what appeared, and a
    /// completed buffer that is empty drains.
    /// </summary>
    private void Balance()
    {
        bool progress;
        do
        {
            progress = false;
            while (_items.Count > 0 && _blockedReaders.Count > 0 && FaceWaiter<T>.TryClaimNext(_blockedReaders, out var reader))
            {
                reader.Succeed(_items.RemoveFirst());
                progress = true;
            }

            while (!_doneWriting && Free > 0 && _blockedWriters.Count > 0 && FaceWaiter<bool>.TryClaimNext(_blockedWriters, out var writer))
            {
                _items.AppendOne(writer.Item);
                writer.Succeed(true);
                progress = true;
            }
        }
        while (progress);

        if (_items.Count > 0)
        {
            if (_readWaiters.Count > 0)
            {
                FaceWaiter<bool>.ClaimAll(_readWaiters)?.ForEach(waiter => waiter.Succeed(true));
            }

            SignalIf(ref _actorWantsItems);
        }

        if (Free > 0)
        {
            if (_writeWaiters.Count > 0 && !_doneWriting)
            {
                FaceWaiter<bool>.ClaimAll(_writeWaiters)?.ForEach(waiter => waiter.Succeed(true));
            }

            // Held puts of actors still go in after completion.
            SignalIf(ref _actorWantsRoom);
        }

        if (_doneWriting && !_drained && _items.Count == 0 && _reserved == 0 && _pendingPuts == 0)
        {
            Drain();
        }
    }

    /// <summary>Completed and empty: waiting takes fail, wait-to-read callers get false (or the error), <see cref="Completion"/> settles.</summary>
    private void Drain()
    {
        _drained = true;
        foreach (var reader in FaceWaiter<T>.ClaimAll(_blockedReaders) ?? [])
        {
            reader.Fail(ClosedError(reader.ChannelErrors, reading: true));
        }

        foreach (var waiter in FaceWaiter<bool>.ClaimAll(_readWaiters) ?? [])
        {
            SettleFinished(waiter);
        }

        switch (_fault)
        {
            case null:
                _completion.TrySetResult();
                break;
            case OperationCanceledException cancelled:
                _completion.TrySetCanceled(cancelled.CancellationToken);
                break;
            default:
                _completion.TrySetException(_fault);
                break;
        }

        SignalIf(ref _actorWantsItems);
    }

    /// <summary>A face caller waits for items while actor producers hold reserved slots: the actor asks them to send what they keep back.</summary>
    private void AskForReservedItems()
    {
        if (_reserved > 0 && !_facesWantItems)
        {
            _facesWantItems = true;
            _actor.Tell(BufferProtocol.CoreChanged.Instance);
        }
    }

    /// <summary>A face caller waits for room while actor parties hold claims on it: the actor asks them to give back what they do not use.</summary>
    private void AskForClaimedRoom()
    {
        if (_reserved + _held > 0 && !_facesWantRoom)
        {
            _facesWantRoom = true;
            _actor.Tell(BufferProtocol.CoreChanged.Instance);
        }
    }

    /// <summary>Tells the actor once when it asked (<paramref name="wanted"/>), and clears the request.</summary>
    private void SignalIf(ref bool wanted)
    {
        if (wanted)
        {
            wanted = false;
            _actor.Tell(BufferProtocol.CoreChanged.Instance);
        }
    }
}
