using System.Threading.Channels;
using Akka.Actor;

namespace Actors.Buffer;

// How the core completes (by a face, by the actor protocol, or because the actor stopped) and what
// a caller that finds it completed receives: what the runtime's bounded channel gives its callers.
internal sealed partial class BufferCore<T>
{
    /// <summary>
    /// Completes the buffer: no more puts or reservations; what is in it (and what the actor's held
    /// puts and reserved slots still bring) is taken, then readers see <paramref name="error"/>.
    /// </summary>
    /// <returns>Whether this call completed the buffer (false when it already was).</returns>
    public bool TryComplete(Exception? error, bool fromActor = false)
    {
        using (fromActor ? EnterForActor() : Enter())
        {
            return Close(error, fromActor);
        }
    }

    /// <summary>One producer is done; the last of <see cref="_producers"/> completes the buffer.</summary>
    public void ProducerDone(bool fromActor = false)
    {
        using (fromActor ? EnterForActor() : Enter())
        {
            if (++_producersDone >= _producers)
            {
                Close(null, fromActor);
            }
        }
    }

    /// <summary>The buffer actor stopped: its items are gone, every waiting call fails with <paramref name="reason"/>.</summary>
    public void Stop(BufferCompletedException reason)
    {
        using (Enter())
        {
            _items.Clear();
            _reserved = _held = _pendingPuts = 0;
            _actor = ActorRefs.Nobody;
            if (!_drained)
            {
                _fault ??= reason;
            }

            if (!Close(_fault, fromActor: true))
            {
                Balance();
            }
        }

        Unmeasure();
    }

    private bool Close(Exception? error, bool fromActor)
    {
        if (_doneWriting)
        {
            return false;
        }

        _doneWriting = true;
        _fault = error;
        foreach (var writer in FaceWaiter<bool>.ClaimAll(_blockedWriters) ?? [])
        {
            writer.Fail(ClosedError(writer.ChannelErrors, reading: false));
        }

        foreach (var waiter in FaceWaiter<bool>.ClaimAll(_writeWaiters) ?? [])
        {
            SettleFinished(waiter);
        }

        if (!fromActor)
        {
            // The actor refuses its parked reservations and asks for reserved slots to be filled.
            _actor.Tell(BufferProtocol.CoreChanged.Instance);
        }

        Balance();
        return true;
    }

    /// <summary>A wait-to-read or wait-to-write that will never see an item or room: false, or the completion's error.</summary>
    private void SettleFinished(FaceWaiter<bool> waiter)
    {
        if (_fault is null)
        {
            waiter.Succeed(false);
        }
        else
        {
            waiter.Fail(_fault);
        }
    }

    /// <summary>
    /// The error for a put refused by a completed buffer (<paramref name="reading"/> false) or a take
    /// refused by a drained one: for the channel faces what a channel throws (the completion's
    /// <see cref="OperationCanceledException"/> itself, else a <see cref="ChannelClosedException"/>
    /// with the completion's error inside); for the buffer's own methods a
    /// <see cref="BufferCompletedException"/> with the completion's error inside.
    /// </summary>
    private Exception ClosedError(bool channelErrors, bool reading)
    {
        if (channelErrors)
        {
            return _fault switch
            {
                null => new ChannelClosedException(),
                OperationCanceledException cancelled => cancelled,
                _ => new ChannelClosedException(_fault),
            };
        }

        if (_fault is BufferCompletedException stopped)
        {
            return stopped;
        }

        var message = reading
            ? "The buffer is completed and drained: no item will follow."
            : "The buffer is completed: it accepts no more items.";
        return _fault is null
            ? new BufferCompletedException(message)
            : new BufferCompletedException($"{message} It was completed with an error: {_fault.Message}", _fault);
    }
}
