using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Akka.Actor;

namespace Actors.Buffer;

/// <summary>
/// The consumer face of a <see cref="BoundedBuffer{T}"/>: item-by-item takes served from batches the
/// buffer actor hands over. The face asks with <see cref="Demand"/> for up to its window of items,
/// and again once half of what it holds is taken, so a busy consumer always has the next batch on
/// its way; the buffer answers a demand as soon as one item exists, so an idle consumer gets items
/// one at a time. Items held here still count against the buffer's capacity until the face reports
/// them <see cref="Consumed"/>; it reports at the latest when it runs empty.
/// </summary>
/// <remarks>
/// The items held here are guarded by <see cref="_gate"/>, which belongs to this consumer face alone
/// (producers never touch it), is held for a few instructions and never across a wait or a send;
/// the buffer's list is still owned by the actor alone, so this is not the seed's shared lock.
/// </remarks>
internal sealed class BufferReader<T> : ChannelReader<T>
{
    private readonly Lock _gate = new();

    /// <summary>The buffer actor.</summary>
    private readonly IActorRef _buffer;

    /// <summary>This face's address, the sender of everything it tells the buffer.</summary>
    private readonly IActorRef _self;

    /// <summary>Most items this face holds or has asked for at once.</summary>
    private readonly int _window;

    /// <summary>Deliveries after <see cref="_current"/>, in order.</summary>
    private readonly Queue<T[]> _deliveries = new();

    /// <summary>Takes waiting for an item, first come first served.</summary>
    private readonly Queue<TakeWaiter> _takers = new();

    /// <summary>Callers of <see cref="WaitToReadAsync"/> waiting for an item.</summary>
    private readonly Queue<FaceWaiter<bool>> _readWaiters = new();

    /// <summary>Completes once the buffer is completed and this face has handed out its last item.</summary>
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The delivery being read; items before <see cref="_index"/> were handed out.</summary>
    private T[] _current = [];

    private int _index;

    /// <summary>Items held here and not yet handed out.</summary>
    private int _held;

    /// <summary>Items handed out since the last <see cref="Consumed"/>.</summary>
    private int _unreported;

    /// <summary>A <see cref="Demand"/> is unanswered.</summary>
    private bool _demanding;

    /// <summary>A producer waits for room (<see cref="RoomWanted"/>): the next item handed out is reported at once.</summary>
    private bool _reportNext;

    /// <summary>The buffer answered <see cref="Completed"/>: no item will follow.</summary>
    private bool _completed;

    /// <summary>Why the buffer is gone (its actor stopped); null while it lives.</summary>
    private Exception? _stopped;

    public BufferReader(IActorRef buffer, IActorRefProvider provider, int window)
    {
        _buffer = buffer;
        _window = window;
        _self = new FaceEndpoint(provider, Receive, Stopped);
    }

    public override Task Completion => _completion.Task;

    public override bool TryRead([MaybeNullWhen(false)] out T item)
    {
        if (TryTakeQuietly(out item))
        {
            return true;
        }

        var outbox = default(Outbox);
        bool read;
        lock (_gate)
        {
            read = _held > 0;
            item = read ? Next(ref outbox) : default;
        }

        Send(outbox);
        return read;
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        var outbox = default(Outbox);
        FaceWaiter<bool> waiter;
        lock (_gate)
        {
            if (_held > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (_stopped is not null)
            {
                return ValueTask.FromException<bool>(_stopped);
            }

            if (_completed)
            {
                return new ValueTask<bool>(false);
            }

            waiter = new FaceWaiter<bool>();
            _readWaiters.Enqueue(waiter);
            AskForItems(ref outbox);
        }

        Send(outbox);
        waiter.CancelWith(cancellationToken);
        return new ValueTask<bool>(waiter.Task);
    }

    public override ValueTask<T> ReadAsync(CancellationToken cancellationToken = default) =>
        TakeAsync(channelErrors: true, cancellationToken);

    /// <summary>Takes one item, waiting for one if this face holds none.</summary>
    /// <param name="channelErrors">Whether a completed buffer throws <see cref="ChannelClosedException"/> (the channel face) rather than <see cref="BufferCompletedException"/>.</param>
    /// <param name="ct">Cancels the wait; a cancelled take took nothing.</param>
    public ValueTask<T> TakeAsync(bool channelErrors, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(ct);
        }

        if (TryTakeQuietly(out var held))
        {
            return new ValueTask<T>(held);
        }

        var outbox = default(Outbox);
        TakeWaiter? waiter = null;
        var item = default(T);
        lock (_gate)
        {
            if (_held > 0)
            {
                item = Next(ref outbox);
            }
            else if (_stopped is not null || _completed)
            {
                return ValueTask.FromException<T>(Finished(channelErrors));
            }
            else
            {
                waiter = new TakeWaiter(channelErrors);
                _takers.Enqueue(waiter);
                AskForItems(ref outbox);
            }
        }

        Send(outbox);
        if (waiter is null)
        {
            return new ValueTask<T>(item!);
        }

        waiter.CancelWith(ct);
        return new ValueTask<T>(waiter.Task);
    }

    /// <summary>The buffer actor stopped: every waiting take fails.</summary>
    public void Stopped(Exception reason)
    {
        var outbox = default(Outbox);
        lock (_gate)
        {
            _stopped ??= reason;
            Finish(ref outbox);
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
            while (_readWaiters.TryDequeue(out var waiter))
            {
                if (waiter.TryClaim())
                {
                    (outbox.Woken ??= []).Add(waiter);
                }
            }
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
        lock (_gate)
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

        while (_takers.TryDequeue(out var taker))
        {
            if (taker.TryClaim())
            {
                (outbox.Failed ??= []).Add(taker);
            }
        }

        while (_readWaiters.TryDequeue(out var waiter))
        {
            if (waiter.TryClaim())
            {
                (outbox.Refused ??= []).Add(waiter);
            }
        }

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
