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
public sealed partial class BufferActor<T> : ReceiveActor
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

    /// <summary>Its items put and taken, its fill and its waiters, as the library's meter reports them.</summary>
    private readonly Telemetry.BufferTelemetry _telemetry;

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
        _telemetry = new Telemetry.BufferTelemetry(Self.Path.Name);

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
    protected override void PostStop() => _telemetry.Dispose();

    private int Free => _items.Capacity - _items.Count - _ledger.Reserved - _ledger.Held;

    protected override bool AroundReceive(Receive receive, object message)
    {
        var handled = base.AroundReceive(receive, message);
        AssertInvariants();
        _telemetry.Observe(_items.Count, _waitingProducers.Count, _parkedTakes.Count);
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
            TellIfItemsWanted(Sender);
            return;
        }

        if (_completing)
        {
            Sender.Tell(new PutRefused(items.Count, CompletedReason));
            return;
        }

        // A later put never overtakes a waiting one: it queues behind it even if some room exists.
        var held = new HeldPut<T>(Sender, items);
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
            if (_parkedTakes.Count == 0)
            {
                // Producers that hold accepted items back for a larger batch send them now.
                foreach (var producer in _ledger.Reservers.ToList())
                {
                    producer.Tell(ItemsWanted.Instance);
                }
            }

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
}
