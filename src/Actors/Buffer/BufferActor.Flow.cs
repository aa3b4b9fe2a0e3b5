using System.Diagnostics;
using Akka.Actor;
using static Actors.Buffer.BufferProtocol;

namespace Actors.Buffer;

// The buffer actor's other half: after every message, how room and items flow to the parties of
// the protocol — producers let in or granted room, takes served, completion and drain reported,
// the observer's events — and the invariants checked in Debug builds.
public sealed partial class BufferActor<T>
{
    /// <summary>
    /// Queues a producer for room. When it is the first to wait, the parties that hold room without
    /// using it are asked for it: other producers for their unused reserved slots, consumers for
    /// their report of what they consumed.
    /// </summary>
    private void Wait(WaitingProducer waiting)
    {
        if (_waitingProducers.Count == 0)
        {
            TellHolders(RoomWanted.Instance, except: waiting.Producer);
        }

        _waitingProducers.Enqueue(waiting);
    }

    /// <summary>
    /// The buffer completed (by a message or through a face): reservations not yet granted never
    /// will be, and producers holding reserved slots are asked to fill them or give them back.
    /// </summary>
    private void BeginCompletion()
    {
        _completing = true;
        var held = _waitingProducers.Where(waiting => waiting is HeldPut<T>).ToList();
        foreach (var refused in _waitingProducers.OfType<ParkedReserve>())
        {
            refused.Producer.Tell(new PutRefused(0, CompletedReason));
        }

        _waitingProducers.Clear();
        held.ForEach(_waitingProducers.Enqueue);
        TellReservers(Completing.Instance);
    }

    /// <summary>
    /// Lets waiting producers in as room allows and hands items to parked takes until neither can
    /// progress, then asks the core to say when that changes (the faces may change it any time).
    /// </summary>
    private void Pump()
    {
        while (true)
        {
            var progress = true;
            while (progress)
            {
                progress = LetProducersIn() | ServeTakes();
            }

            var pendingPuts = 0;
            foreach (var waiting in _waitingProducers)
            {
                pendingPuts += waiting is HeldPut<T> held ? held.Remaining : 0;
            }

            var (doneWriting, drained, armed) = _core.Settle(pendingPuts, _waitingProducers.Count, _parkedTakes.Count);
            if (doneWriting && !_completing)
            {
                BeginCompletion();
            }
            else if (drained && !_drainReported)
            {
                _drainReported = true;
                while (_parkedTakes.Count > 0)
                {
                    _parkedTakes.Dequeue().Consumer.Tell(Completed.Instance);
                }

                _observer?.Tell(Completed.Instance);
            }
            else if (armed)
            {
                return;
            }
        }
    }

    private bool LetProducersIn()
    {
        var progress = false;
        while (_waitingProducers.TryPeek(out var waiting))
        {
            if (waiting is HeldPut<T> held)
            {
                var added = Add(held.Items, held.Offset, held.Remaining, AddMode.Held);
                if (added == 0)
                {
                    break;
                }

                held.Offset += added;
                if (held.Remaining == 0)
                {
                    _waitingProducers.Dequeue();
                    held.Producer.Tell(new Accepted(held.Items.Count));
                }
            }
            else if (!Grant(waiting.Producer, ((ParkedReserve)waiting).Count))
            {
                break;
            }
            else
            {
                _waitingProducers.Dequeue();
            }

            progress = true;
        }

        return progress;
    }

    private bool ServeTakes()
    {
        var progress = false;
        while (_parkedTakes.TryPeek(out var parked) && _core.MayHoldItems && Hand(parked.Consumer, parked.Max, parked.Holds))
        {
            _parkedTakes.Dequeue();
            progress = true;
        }

        return progress;
    }

    /// <summary>Reserves up to <paramref name="wanted"/> free slots for <paramref name="producer"/> and tells it; false when there was no room.</summary>
    private bool Grant(IActorRef producer, int wanted)
    {
        var granted = _core.Reserve(wanted);
        if (granted == 0)
        {
            return false;
        }

        _ledger.Reserve(producer, granted);
        producer.Tell(new Reserved(granted));
        TellIfItemsWanted(producer);
        return true;
    }

    /// <summary>
    /// A producer that holds reserved slots while consumers wait is told so, whenever it gains slots
    /// or has its batch answered: what it keeps back for a larger batch is wanted now.
    /// </summary>
    private void TellIfItemsWanted(IActorRef producer)
    {
        if (_parkedTakes.Count > 0)
        {
            producer.Tell(ItemsWanted.Instance);
        }
    }

    /// <summary>Hands up to <paramref name="max"/> items to <paramref name="consumer"/>; false when the buffer had none.</summary>
    private bool Hand(IActorRef consumer, int max, bool holds)
    {
        var removed = _core.Take(Math.Min(max, _maxBatch), holds);
        if (removed.Length == 0)
        {
            return false;
        }

        if (holds)
        {
            _ledger.Hold(consumer, removed.Length);
        }

        _observer?.Tell(new ItemsRemoved<T>(removed, _core.Contents()));
        consumer.Tell(new Taken<T>(removed));
        if (holds && _waitingProducers.Count > 0)
        {
            // A producer waits for room that these items will free once consumed: report early.
            consumer.Tell(RoomWanted.Instance);
        }

        return true;
    }

    /// <summary>Adds items through the core and reports them to the observer; returns how many went in (-1: refused, the buffer is completed).</summary>
    private int Add(IReadOnlyList<T> source, int offset, int count, AddMode mode)
    {
        var added = _core.Add(source, offset, count, mode);
        if (_observer is not null && added > 0)
        {
            var items = new T[added];
            for (var i = 0; i < added; i++)
            {
                items[i] = source[offset + i];
            }

            _observer.Tell(new ItemsAdded<T>(items, _core.Contents()));
        }

        return added;
    }

    /// <summary>Tells every party that holds room (reserved slots or unreported items), but <paramref name="except"/>.</summary>
    private void TellHolders(object message, IActorRef? except)
    {
        foreach (var party in _ledger.Reservers.Concat(_ledger.Holders).Distinct().Where(party => !party.Equals(except)).ToList())
        {
            party.Tell(message);
        }
    }

    private void TellReservers(object message)
    {
        foreach (var producer in _ledger.Reservers.ToList())
        {
            producer.Tell(message);
        }
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        var (items, _, _, doneWriting) = _core.Snapshot();
        if (items.Length + _ledger.Reserved + _ledger.Held > _core.Capacity)
        {
            throw new InvalidOperationException(
                $"Buffer accounts for {items.Length} items + {_ledger.Reserved} reserved + {_ledger.Held} held, above its capacity {_core.Capacity}.");
        }

        if (_completing && !doneWriting)
        {
            throw new InvalidOperationException("The buffer actor and its core disagree on completion.");
        }

        if (_drainReported && (_waitingProducers.Count > 0 || _parkedTakes.Count > 0 || _ledger.Reserved > 0))
        {
            throw new InvalidOperationException("The buffer reported Completed but still holds work.");
        }
    }
}
