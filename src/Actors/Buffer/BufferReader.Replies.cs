using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Akka.Actor;

namespace Actors.Buffer;

// The reader face's other half: what the buffer's replies do (deliveries, completion, requests
// for a report), how items are handed out and reported, and the sends, made outside the lock.
internal sealed partial class BufferReader<T> : ChannelReader<T>
{
    /// <summary>Replies of the buffer actor, on its thread.</summary>
    private void Receive(object message)
    {
        var outbox = default(Outbox);
        using (_gate.Hold())
        {
            switch (message)
            {
                case Taken<T> taken:
                    _demanding = false;
                    Deliver(taken.Items, ref outbox);
                    break;
                case Completed:
                    _demanding = false;
                    _completed = true;
                    Finish(ref outbox);
                    break;
                case RoomWanted:
                    outbox.Consumed += _unreported;
                    _reportNext = _unreported == 0;
                    _unreported = 0;
                    break;
            }
        }

        Send(outbox);
    }

    private void Deliver(IReadOnlyList<T> items, ref Outbox outbox)
    {
        var array = items as T[] ?? [.. items];
        if (_index == _current.Length && _deliveries.Count == 0)
        {
            _current = array;
            _index = 0;
        }
        else
        {
            _deliveries.Enqueue(array);
        }

        _held += array.Length;
        while (_held > 0 && _takers.TryDequeue(out var taker))
        {
            if (taker.TryClaim())
            {
                (outbox.Served ??= []).Add((taker, Next(ref outbox)));
            }
        }

        if (_held > 0)
        {
            FaceWaiter<bool>.ClaimAll(_readWaiters, ref outbox.Woken);
        }
        else if (FaceWaiter<T>.HasLive(_takers) || FaceWaiter<bool>.HasLive(_readWaiters))
        {
            AskForItems(ref outbox);
        }
    }

    /// <summary>
    /// Hands out the oldest item held. Once at most half the window is held, asks for more; once
    /// nothing is held, or when a producer waits for room, reports every item handed out, so the
    /// buffer never waits for a report from a face that has nothing left to give.
    /// </summary>
    private T Next(ref Outbox outbox)
    {
        var item = Dequeue();
        if (_held <= _window / 2)
        {
            AskForItems(ref outbox);
        }

        if (_held == 0 || _reportNext)
        {
            _reportNext = false;
            outbox.Consumed += _unreported;
            _unreported = 0;
        }

        if (_held == 0 && _completed)
        {
            _completion.TrySetResult();
        }

        return item;
    }

    /// <summary>
    /// The common case of a busy consumer, with nothing to send or settle: more than half the
    /// window is held and no producer waits for a report.
    /// </summary>
    private bool TryTakeQuietly([MaybeNullWhen(false)] out T item)
    {
        using (_gate.Hold())
        {
            if (_held - 1 <= _window / 2 || _reportNext)
            {
                item = default;
                return false;
            }

            item = Dequeue();
            return true;
        }
    }

    /// <summary>Removes the oldest item held, counting it as handed out.</summary>
    private T Dequeue()
    {
        if (_index == _current.Length)
        {
            _current = _deliveries.Dequeue();
            _index = 0;
        }

        var item = _current[_index];
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            _current[_index] = default!;
        }

        _index++;
        _held--;
        _unreported++;
        return item;
    }

    private void AskForItems(ref Outbox outbox)
    {
        if (!_demanding && !_completed && _stopped is null && _held < _window)
        {
            _demanding = true;
            outbox.Consumed += _unreported;
            _unreported = 0;
            outbox.Demand = _window - _held;
        }
    }

    /// <summary>The buffer completed or stopped: waiting calls end if nothing is held for them.</summary>
    private void Finish(ref Outbox outbox)
    {
        if (_held > 0 && _stopped is null)
        {
            return;
        }

        FaceWaiter<T>.ClaimAll(_takers, ref outbox.Failed);
        FaceWaiter<bool>.ClaimAll(_readWaiters, ref outbox.Refused);

        if (_stopped is not null)
        {
            _completion.TrySetException(_stopped);
        }
        else
        {
            _completion.TrySetResult();
        }
    }

    private Exception Finished(bool channelErrors) => _stopped ?? (channelErrors
        ? new ChannelClosedException()
        : new BufferCompletedException("The buffer is completed and drained: no item will follow."));

    /// <summary>Sends and settles what a locked section decided, outside the lock.</summary>
    private void Send(in Outbox outbox)
    {
        if (outbox.Demand > 0)
        {
            _buffer.Tell(new Demand(outbox.Demand, outbox.Consumed), _self);
        }
        else if (outbox.Consumed > 0)
        {
            _buffer.Tell(new Consumed(outbox.Consumed), _self);
        }

        outbox.Served?.ForEach(served => served.Taker.Succeed(served.Item));
        outbox.Woken?.ForEach(waiter => waiter.Succeed(true));
        if (outbox.Refused is not null)
        {
            foreach (var waiter in outbox.Refused)
            {
                if (_stopped is not null)
                {
                    waiter.Fail(_stopped);
                }
                else
                {
                    waiter.Succeed(false);
                }
            }
        }

        outbox.Failed?.ForEach(taker => taker.Fail(Finished(taker.ChannelErrors)));
    }

    /// <summary>What a locked section decided to send and settle.</summary>
    private struct Outbox
    {
        public int Consumed;
        public int Demand;
        public List<(TakeWaiter Taker, T Item)>? Served;
        public List<FaceWaiter<bool>>? Woken;
        public List<FaceWaiter<bool>>? Refused;
        public List<TakeWaiter>? Failed;
    }

    /// <summary>A take waiting for an item.</summary>
    private sealed class TakeWaiter(bool channelErrors) : FaceWaiter<T>
    {
        public bool ChannelErrors { get; } = channelErrors;
    }
}
