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
internal sealed partial class BufferReader<T> : ChannelReader<T>
{
    private readonly FaceGate _gate = new();

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
        using (_gate.Hold())
        {
            read = _held > 0;
            item = read ? Next(ref outbox) : default;
            if (!read)
            {
                // A consumer that only polls must still get items: ask for them now.
                AskForItems(ref outbox);
            }
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
        using (_gate.Hold())
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
        using (_gate.Hold())
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
        using (_gate.Hold())
        {
            _stopped ??= reason;
            Finish(ref outbox);
        }

        Send(outbox);
    }
}
