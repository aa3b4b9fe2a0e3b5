using System.Diagnostics;
using Akka.Actor;

namespace Actors.Buffer;

/// <summary>
/// A bounded FIFO buffer that owns its items: producers and consumers only exchange messages with
/// it (see <c>Messages.cs</c>), so no lock guards the list. A full buffer holds puts and
/// reservations; an empty buffer parks takes and demands; each is answered as soon as it can be.
/// Nothing is dropped or reordered, and nobody polls.
/// </summary>
/// <remarks>
/// The capacity bounds everything the buffer accounts for: the items in its list, the slots
/// reserved by producers and not yet filled, and the items handed out for a <see cref="Demand"/>
/// and not yet reported <see cref="Consumed"/>. Completion comes from <see cref="Complete"/> or from
/// every producer sending <see cref="ProducerDone"/>; afterwards consumers get what is left (including
/// what reserved slots still bring), then <see cref="Completed"/>.
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
public sealed class BufferActor<T> : ReceiveActor
{
    private const string CompletedReason =
        "The buffer is completed: every producer is done or Complete was sent, so it accepts no more items.";

    /// <summary>The list, oldest first.</summary>
    private readonly ItemRing<T> _items;

    /// <summary>Reserved slots and items held by consumers, per party.</summary>
    private readonly CapacityLedger<IActorRef> _ledger = new();

    /// <summary>Puts held and reservations waiting for room, served first come first served.</summary>
    private readonly Queue<WaitingProducer> _waitingProducers = new();

    /// <summary>Takes and demands waiting for items.</summary>
    private Queue<ParkedTake> _parkedTakes = new();

    /// <summary>Most items in one <see cref="Taken{T}"/>.</summary>
    private readonly int _maxBatch;

    /// <summary><see cref="ProducerDone"/> messages that complete the buffer.</summary>
    private readonly int _producers;

    /// <summary>Receives every change, or nobody.</summary>
    private readonly IActorRef? _observer;

    private int _producersDone;

    /// <summary>Refuses new puts and reservations.</summary>
    private bool _completing;

    /// <summary>Completed and empty: every consumer has been (or will be) told <see cref="Completed"/>.</summary>
    private bool _drained;

    /// <summary>Used by Akka through <see cref="Props(BufferSettings, int, IActorRef?)"/>; do not call directly.</summary>
    public BufferActor(BufferSettings settings, int producers, IActorRef? observer)
    {
        _items = new ItemRing<T>(settings.Capacity);
        _maxBatch = settings.MaxBatch;
        _producers = producers;
        _observer = observer;

        Receive<PutBatch<T>>(put => HandlePut(put.Items, put.ReserveMore));
        Receive<Put<T>>(put => HandlePut([put.Item], 0));
        Receive<Reserve>(HandleReserve);
        Receive<Release>(release =>
        {
            _ledger.Unreserve(Sender, release.Count);
            Pump();
        });
        Receive<Take>(take => HandleTake(take.Max, holds: false));
        Receive<Demand>(demand =>
        {
            _ledger.Consume(Sender, demand.Consumed);
            HandleTake(demand.Max, holds: true);
            Pump();
        });
        Receive<Consumed>(consumed =>
        {
            _ledger.Consume(Sender, consumed.Count);
            Pump();
        });
        Receive<CancelTake>(_ => HandleCancelTake());
        Receive<ProducerDone>(_ =>
        {
            if (++_producersDone >= _producers)
            {
                BeginCompletion();
            }
        });
        Receive<Complete>(_ => BeginCompletion());
        Receive<GetSnapshot>(_ => Sender.Tell(new BufferSnapshot<T>(
            _items.ToArray(), _items.Capacity, _ledger.Reserved, _ledger.Held, _waitingProducers.Count, _parkedTakes.Count, _completing)));
    }

    /// <summary>Props of a buffer with <paramref name="capacity"/> and the other settings from <c>reference.conf</c>.</summary>
    /// <param name="capacity">Most items accounted for at once; at least 1.</param>
    /// <param name="producers">How many <see cref="ProducerDone"/> complete the buffer; at least 1.</param>
    public static Props Props(int capacity, int producers = 1) =>
        Props(BufferSettings.Default with { Capacity = capacity }, producers);

    /// <summary>Props of a buffer.</summary>
    /// <param name="settings">Capacity and batch limit.</param>
    /// <param name="producers">How many <see cref="ProducerDone"/> complete the buffer; at least 1.</param>
    /// <param name="observer">
    /// Receives <see cref="ItemsAdded{T}"/>, <see cref="ItemsRemoved{T}"/> and finally <see cref="Completed"/>,
    /// in the order the buffer applied them (each event copies the contents, so leave it unset where
    /// throughput matters).
    /// </param>
    public static Props Props(BufferSettings settings, int producers = 1, IActorRef? observer = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(producers, 1);
        return Akka.Actor.Props.Create(() => new BufferActor<T>(settings, producers, observer));
    }

    /// <summary>Room nobody has a claim on.</summary>
    private int Free => _items.Capacity - _items.Count - _ledger.Reserved - _ledger.Held;

    protected override bool AroundReceive(Receive receive, object message)
    {
        var handled = base.AroundReceive(receive, message);
        AssertInvariants();
        return handled;
    }

    private void HandlePut(IReadOnlyList<T> items, int reserveMore)
    {
        // Reserved slots were promised: their puts go in at once, even after completion.
        if (items.Count > 0 && _ledger.ReservedBy(Sender) >= items.Count)
        {
            _ledger.Unreserve(Sender, items.Count);
            Add(items, 0, items.Count);
            Pump();
            var granted = _completing || _waitingProducers.Count > 0 ? 0 : Math.Clamp(reserveMore, 0, Free);
            _ledger.Reserve(Sender, granted);
            Sender.Tell(new Accepted(items.Count, granted));
            return;
        }

        if (_completing)
        {
            Sender.Tell(new PutRefused(items.Count, CompletedReason));
            return;
        }

        // A later put never overtakes a waiting one: it queues behind it even if some room exists.
        var held = new HeldPut(Sender, items);
        if (_waitingProducers.Count == 0)
        {
            var now = Math.Min(items.Count, Free);
            Add(items, 0, now);
            held.Offset = now;
        }

        if (held.Remaining == 0)
        {
            Sender.Tell(new Accepted(items.Count));
        }
        else
        {
            Wait(held);
        }

        Pump();
    }

    private void HandleReserve(Reserve reserve)
    {
        if (_completing)
        {
            Sender.Tell(new PutRefused(0, CompletedReason));
        }
        else if (_waitingProducers.Count == 0 && Free > 0)
        {
            Grant(Sender, reserve.Count);
        }
        else
        {
            Wait(new ParkedReserve(Sender, reserve.Count));
        }
    }

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

    private void HandleTake(int max, bool holds)
    {
        if (_items.Count > 0)
        {
            Hand(Sender, max, holds);
            Pump();
        }
        else if (_drained)
        {
            Sender.Tell(Completed.Instance);
        }
        else
        {
            _parkedTakes.Enqueue(new ParkedTake(Sender, max, holds));
        }
    }

    private void HandleCancelTake()
    {
        var sender = Sender;
        var kept = new Queue<ParkedTake>(_parkedTakes.Count);
        foreach (var parked in _parkedTakes)
        {
            if (parked.Consumer.Equals(sender))
            {
                sender.Tell(TakeCancelled.Instance);
            }
            else
            {
                kept.Enqueue(parked);
            }
        }

        _parkedTakes = kept;
    }

    private void BeginCompletion()
    {
        if (!_completing)
        {
            _completing = true;

            // Held puts still go in; reservations not yet granted never will be.
            var held = _waitingProducers.Where(waiting => waiting is HeldPut).ToList();
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
                    case HeldPut held:
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
    }

    private void Hand(IActorRef consumer, int max, bool holds)
    {
        var removed = _items.Remove(Math.Min(Math.Min(max, _maxBatch), _items.Count));
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

    /// <summary>A producer waiting for room: a held put or a parked reservation.</summary>
    private abstract class WaitingProducer(IActorRef producer)
    {
        public IActorRef Producer { get; } = producer;
    }

    /// <summary>A put waiting for room; <see cref="Offset"/> items of it are already in the buffer.</summary>
    private sealed class HeldPut(IActorRef producer, IReadOnlyList<T> items) : WaitingProducer(producer)
    {
        public IReadOnlyList<T> Items { get; } = items;

        public int Offset { get; set; }

        public int Remaining => Items.Count - Offset;
    }

    /// <summary>A <see cref="Reserve"/> waiting for room.</summary>
    private sealed class ParkedReserve(IActorRef producer, int count) : WaitingProducer(producer)
    {
        public int Count { get; } = count;
    }

    /// <summary>A take or demand waiting for items.</summary>
    private sealed record ParkedTake(IActorRef Consumer, int Max, bool Holds);
}
