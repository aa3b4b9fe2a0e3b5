using Akka.Actor;
using static Actors.Buffer.BufferProtocol;

namespace Actors.Buffer;

/// <summary>
/// A bounded FIFO buffer for actors: producers and consumers only exchange messages with it (see
/// <see cref="BufferProtocol"/>). A full buffer holds puts and reservations; an empty buffer parks
/// takes and demands; each is answered as soon as it can be. Nothing is dropped or reordered, and
/// nobody polls.
/// </summary>
/// <remarks>
/// The capacity bounds everything the buffer accounts for: the items in its list, the slots
/// reserved by producers and not yet filled, and the items handed out for a <see cref="Demand"/>
/// and not yet reported <see cref="Consumed"/>. Completion comes from <see cref="Complete"/> or from
/// every producer sending <see cref="ProducerDone"/>; afterwards consumers get what is left (including
/// what reserved slots still bring), then <see cref="Completed"/>. The items, the room and
/// completion live in a <see cref="BufferCore{T}"/> that a <see cref="BoundedBuffer{T}"/>'s faces share:
/// they change it directly, each step under the core's short gate, and this actor is told when
/// something it waits for appears, so actors and face callers serve each other.
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
public sealed partial class BufferActor<T> : ReceiveActor
{
    private const string CompletedReason =
        "The buffer is completed: every producer is done or Complete was sent, so it accepts no more items.";

    /// <summary>The items, the room and completion, shared with the buffer's faces when it has them.</summary>
    private readonly BufferCore<T> _core;

    /// <summary>Reserved slots and items held by consumers, per party (the core keeps their totals).</summary>
    private readonly CapacityLedger<IActorRef> _ledger = new();

    /// <summary>Puts held and reservations waiting for room, served first come first served.</summary>
    private readonly Queue<WaitingProducer> _waitingProducers = new();

    /// <summary>Takes and demands waiting for items.</summary>
    private Queue<ParkedTake> _parkedTakes = new();

    /// <summary>Most items in one <see cref="Taken{T}"/>.</summary>
    private readonly int _maxBatch;

    /// <summary>Receives every change made through the protocol, or nobody.</summary>
    private readonly IActorRef? _observer;

    /// <summary>The core was made by this instance (no faces share it): a restart makes a new one.</summary>
    private readonly bool _ownsCore;

    /// <summary>This actor has refused its parked reservations and told reserving producers <see cref="Completing"/>.</summary>
    private bool _completing;

    /// <summary>Parked takes and the observer have been told <see cref="Completed"/>.</summary>
    private bool _drainReported;

    /// <summary>Used by Akka through <see cref="Props(BufferSettings, int, IActorRef?)"/>; do not call directly.</summary>
    public BufferActor(BufferSettings settings, int producers, IActorRef? observer)
        : this(new BufferCore<T>(settings.Capacity, producers), settings, observer)
    {
        _ownsCore = true;
    }

    internal BufferActor(BufferCore<T> core, BufferSettings settings, IActorRef? observer)
    {
        _core = core;
        _maxBatch = settings.MaxBatch;
        _observer = observer;

        Receive<PutBatch<T>>(put => HandlePut(put.Items, put.ReserveMore));
        Receive<Put<T>>(put => HandlePut([put.Item], 0));
        Receive<Reserve>(HandleReserve);
        Receive<Release>(release => _core.Unreserve(_ledger.Unreserve(Sender, release.Count)));
        Receive<Take>(take => HandleTake(take.Max, holds: false));
        Receive<Demand>(demand =>
        {
            _core.Consume(_ledger.Consume(Sender, demand.Consumed));
            HandleTake(demand.Max, holds: true);
        });
        Receive<Consumed>(consumed => _core.Consume(_ledger.Consume(Sender, consumed.Count)));
        Receive<CancelTake>(_ => HandleCancelTake());
        Receive<ProducerDone>(_ => _core.ProducerDone(fromActor: true));
        Receive<Complete>(_ => _core.TryComplete(null, fromActor: true));
        Receive<CoreChanged>(_ => AnswerFaceRequests());
        Receive<GetSnapshot>(_ =>
        {
            var (items, waitingPuts, waitingTakes, doneWriting) = _core.Snapshot();
            Sender.Tell(new BufferSnapshot<T>(
                items, _core.Capacity, _ledger.Reserved, _ledger.Held, _waitingProducers.Count + waitingPuts, _parkedTakes.Count + waitingTakes, doneWriting));
        });
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
    /// throughput matters). Only changes made through messages are reported.
    /// </param>
    public static Props Props(BufferSettings settings, int producers = 1, IActorRef? observer = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(producers, 1);
        return Akka.Actor.Props.Create(() => new BufferActor<T>(settings, producers, observer));
    }

    /// <summary>Props of the actor behind a <see cref="BoundedBuffer{T}"/>, sharing <paramref name="core"/> with its faces.</summary>
    internal static Props Props(BufferCore<T> core, BufferSettings settings) =>
        Akka.Actor.Props.CreateBy(new SharedCoreProducer(core, settings));

    protected override void PreStart() => _core.Attach(Self);

    // A shared core's items outlive this instance: a restart keeps them, so do not stop the core. A
    // core of this instance's own goes with it (the next instance makes its own): stop it as at PostStop.
    protected override void PreRestart(Exception reason, object message)
    {
        if (_ownsCore)
        {
            base.PreRestart(reason, message);
        }
    }

    // The new instance starts with an empty ledger and no waiting parties: the claims the old one
    // counted in the core would otherwise keep their room forever.
    protected override void PostRestart(Exception reason)
    {
        _core.ForgetActorClaims();
        base.PostRestart(reason);
    }

    // Also when the actor system shuts down: no caller of the faces waits for a dead actor.
    protected override void PostStop() =>
        _core.Stop(new BufferCompletedException($"The buffer actor {Self.Path} stopped; it accepts and hands out no more items."));

    protected override bool AroundReceive(Receive receive, object message)
    {
        var handled = base.AroundReceive(receive, message);
        Pump();
        AssertInvariants();
        return handled;
    }

    private void HandlePut(IReadOnlyList<T> items, int reserveMore)
    {
        // Reserved slots were promised: their puts go in at once, even after completion.
        if (items.Count > 0 && _ledger.ReservedBy(Sender) >= items.Count)
        {
            _ledger.Unreserve(Sender, items.Count);
            Add(items, 0, items.Count, AddMode.Reserved);
            var granted = _completing || _waitingProducers.Count > 0 ? 0 : _core.Reserve(reserveMore);
            _ledger.Reserve(Sender, granted);
            Sender.Tell(new Accepted(items.Count, granted));
            TellIfItemsWanted(Sender);
            return;
        }

        // A later put never overtakes a waiting one: it queues behind it even if some room exists.
        var held = new HeldPut<T>(Sender, items);
        if (_waitingProducers.Count == 0)
        {
            var added = Add(items, 0, items.Count, AddMode.New);
            if (added < 0)
            {
                Sender.Tell(new PutRefused(items.Count, CompletedReason));
                return;
            }

            held.Offset = added;
        }
        else if (_completing)
        {
            Sender.Tell(new PutRefused(items.Count, CompletedReason));
            return;
        }

        if (held.Remaining == 0)
        {
            Sender.Tell(new Accepted(items.Count));
        }
        else
        {
            Wait(held);
        }
    }

    private void HandleReserve(Reserve reserve)
    {
        if (_completing)
        {
            Sender.Tell(new PutRefused(0, CompletedReason));
        }
        else if (_waitingProducers.Count > 0 || !Grant(Sender, reserve.Count))
        {
            // Also when a face completed the buffer a moment ago: Pump's BeginCompletion refuses it.
            Wait(new ParkedReserve(Sender, reserve.Count));
        }
    }

    private void HandleTake(int max, bool holds)
    {
        if (_parkedTakes.Count == 0 && _core.MayHoldItems && Hand(Sender, max, holds))
        {
            return;
        }

        if (_core.IsDrained)
        {
            Sender.Tell(Completed.Instance);
            return;
        }

        if (_parkedTakes.Count == 0)
        {
            // Producers that hold accepted items back for a larger batch send them now.
            TellReservers(ItemsWanted.Instance);
        }

        _parkedTakes.Enqueue(new ParkedTake(Sender, max, holds));
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

    /// <summary>Face callers wait on room or items that parties of the protocol hold: ask those parties, as for a waiting actor.</summary>
    private void AnswerFaceRequests()
    {
        var (room, items) = _core.TakeFaceRequests();
        if (room)
        {
            TellHolders(RoomWanted.Instance, except: null);
        }

        if (items)
        {
            TellReservers(ItemsWanted.Instance);
        }
    }

    /// <summary>Creates the actor over a core it shares (Akka's reflective activation needs a public constructor, and the core is internal).</summary>
    private sealed class SharedCoreProducer(BufferCore<T> core, BufferSettings settings) : IIndirectActorProducer
    {
        public Type ActorType => typeof(BufferActor<T>);

        public ActorBase Produce() => new BufferActor<T>(core, settings, null);

        public void Release(ActorBase actor)
        {
        }
    }
}
