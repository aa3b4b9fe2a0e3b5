using System.Diagnostics;
using Akka.Actor;

namespace Actors.Buffer;

// The buffer actor's other half: how room and items flow once a handler has changed the state —
// producers let in or granted room, takes served, completion and drain, the observer's events and
// the invariants checked after every message in Debug builds.
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
            var holding = _ledger.Reservers.Where(reserver => !reserver.Equals(waiting.Producer)).Concat(_ledger.Holders).Distinct();
            foreach (var party in holding.ToList())
            {
                party.Tell(RoomWanted.Instance);
            }
        }

        _waitingProducers.Enqueue(waiting);
    }

    private void BeginCompletion()
    {
        if (!_completing)
        {
            _completing = true;

            // Held puts still go in; reservations not yet granted never will be.
            var held = _waitingProducers.Where(waiting => waiting is HeldPut<T>).ToList();
            foreach (var refused in _waitingProducers.OfType<ParkedReserve>())
            {
                refused.Producer.Tell(new PutRefused(0, CompletedReason));
            }

            _waitingProducers.Clear();
            held.ForEach(_waitingProducers.Enqueue);
            foreach (var producer in _ledger.Reservers)
            {
                producer.Tell(Completing.Instance);
            }
        }

        CheckDrained();
    }

    /// <summary>Lets waiting producers in as room allows and hands items to parked takes, until neither can progress.</summary>
    private void Pump()
    {
        var progress = true;
        while (progress)
        {
            progress = false;
            while (_waitingProducers.Count > 0 && Free > 0)
            {
                progress = true;
                switch (_waitingProducers.Peek())
                {
                    case HeldPut<T> held:
                        var now = Math.Min(held.Remaining, Free);
                        Add(held.Items, held.Offset, now);
                        held.Offset += now;
                        if (held.Remaining == 0)
                        {
                            _waitingProducers.Dequeue();
                            held.Producer.Tell(new Accepted(held.Items.Count));
                        }

                        break;
                    case ParkedReserve parked:
                        _waitingProducers.Dequeue();
                        Grant(parked.Producer, parked.Count);
                        break;
                }
            }

            while (_items.Count > 0 && _parkedTakes.Count > 0)
            {
                progress = true;
                var parked = _parkedTakes.Dequeue();
                Hand(parked.Consumer, parked.Max, parked.Holds);
            }
        }

        CheckDrained();
    }

    private void Grant(IActorRef producer, int wanted)
    {
        var granted = Math.Min(wanted, Free);
        _ledger.Reserve(producer, granted);
        producer.Tell(new Reserved(granted));
        TellIfItemsWanted(producer);
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

    private void Hand(IActorRef consumer, int max, bool holds)
    {
        var removed = _items.Remove(Math.Min(Math.Min(max, _maxBatch), _items.Count));
        _telemetry.Taken(removed.Length);
        if (holds)
        {
            _ledger.Hold(consumer, removed.Length);
        }

        _observer?.Tell(new ItemsRemoved<T>(removed, _items.ToArray()));
        consumer.Tell(new Taken<T>(removed));
        if (holds && _waitingProducers.Count > 0)
        {
            // A producer waits for room that these items will free once consumed: report early.
            consumer.Tell(RoomWanted.Instance);
        }
    }

    private void CheckDrained()
    {
        if (_drained || !_completing || _items.Count > 0 || _waitingProducers.Count > 0 || _ledger.Reserved > 0)
        {
            return;
        }

        _drained = true;
        while (_parkedTakes.Count > 0)
        {
            _parkedTakes.Dequeue().Consumer.Tell(Completed.Instance);
        }

        _observer?.Tell(Completed.Instance);
    }

    private void Add(IReadOnlyList<T> source, int offset, int count)
    {
        if (count == 0)
        {
            return;
        }

        _items.Append(source, offset, count);
        _telemetry.Put(count);
        if (_observer is not null)
        {
            var added = new T[count];
            for (var i = 0; i < count; i++)
            {
                added[i] = source[offset + i];
            }

            _observer.Tell(new ItemsAdded<T>(added, _items.ToArray()));
        }
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        if (_items.Count + _ledger.Reserved + _ledger.Held > _items.Capacity)
        {
            throw new InvalidOperationException(
                $"Buffer accounts for {_items.Count} items + {_ledger.Reserved} reserved + {_ledger.Held} held, above its capacity {_items.Capacity}.");
        }

        if (_items.Count > 0 && _parkedTakes.Count > 0)
        {
            throw new InvalidOperationException($"{_parkedTakes.Count} takes wait while {_items.Count} items are present.");
        }

        if (Free > 0 && _waitingProducers.Count > 0)
        {
            throw new InvalidOperationException($"{_waitingProducers.Count} producers wait while {Free} slots are free.");
        }

        if (_drained && (_items.Count > 0 || _waitingProducers.Count > 0 || _parkedTakes.Count > 0 || _ledger.Reserved > 0))
        {
            throw new InvalidOperationException("The buffer reported Completed but still holds work.");
        }
    }
}
