using System.Diagnostics;
using Akka.Actor;

namespace Actors.Buffer;

/// <summary>
/// A bounded FIFO buffer that owns its items: producers and consumers only exchange messages with
/// it, so no lock exists anywhere. A full buffer holds puts (answering each with
/// <see cref="Accepted"/> once its items are in); an empty buffer parks takes (answering them as
/// items arrive). Nothing is dropped or reordered, and nobody polls.
/// </summary>
/// <remarks>
/// Back-pressure comes from the replies: a producer sends its next put only after an
/// <see cref="Accepted"/> (or keeps a fixed window of unanswered puts), so the puts waiting inside
/// the buffer are bounded by producers × window and no mailbox grows without bound. Completion
/// comes from <see cref="Complete"/> or from every producer sending <see cref="ProducerDone"/>;
/// afterwards consumers get what is left, then <see cref="Completed"/>.
/// </remarks>
public sealed class BufferActor : ReceiveActor
{
    private readonly ItemRing _items;
    private readonly int _maxBatch;
    private readonly int _producers;
    private readonly IActorRef? _observer;
    private readonly Queue<HeldPut> _heldPuts = new();
    private Queue<ParkedTake> _parkedTakes = new();
    private int _producersDone;
    private bool _completing;
    private bool _drained;

    /// <summary>Used by Akka through <see cref="Props(BufferSettings, int, IActorRef?)"/>; do not call directly.</summary>
    public BufferActor(BufferSettings settings, int producers, IActorRef? observer)
    {
        _items = new ItemRing(settings.Capacity);
        _maxBatch = settings.MaxBatch;
        _producers = producers;
        _observer = observer;

        Receive<PutBatch>(HandlePutBatch);
        Receive<Take>(HandleTake);
        Receive<Put>(HandlePut);
        Receive<CancelTake>(HandleCancelTake);
        Receive<ProducerDone>(HandleProducerDone);
        Receive<Complete>(HandleComplete);
        Receive<GetSnapshot>(HandleGetSnapshot);
    }

    /// <summary>Props of a buffer with <paramref name="capacity"/> and the other settings from <c>reference.conf</c>.</summary>
    /// <param name="capacity">Most items held at once; at least 1.</param>
    /// <param name="producers">How many <see cref="ProducerDone"/> complete the buffer; at least 1.</param>
    public static Props Props(int capacity, int producers = 1) =>
        Props(BufferSettings.Default with { Capacity = capacity }, producers);

    /// <summary>Props of a buffer.</summary>
    /// <param name="settings">Capacity and batch limit.</param>
    /// <param name="producers">How many <see cref="ProducerDone"/> complete the buffer; at least 1.</param>
    /// <param name="observer">
    /// Receives <see cref="ItemsAdded"/>, <see cref="ItemsRemoved"/> and finally <see cref="Completed"/>,
    /// in the order the buffer applied them (each event copies the contents, so leave it unset where
    /// throughput matters).
    /// </param>
    public static Props Props(BufferSettings settings, int producers = 1, IActorRef? observer = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(producers, 1);
        return Akka.Actor.Props.Create(() => new BufferActor(settings, producers, observer));
    }

    private bool AcceptsPuts => !_completing;

    private void HandlePut(Put put)
    {
        if (!AcceptsPuts)
        {
            Refuse(1);
            return;
        }

        if (_heldPuts.Count == 0 && _items.Free > 0)
        {
            Add(new[] { put.Item }, 0, 1);
            Sender.Tell(new Accepted(1));
            ServeParkedTakes();
        }
        else
        {
            _heldPuts.Enqueue(new HeldPut(Sender, new[] { put.Item }));
        }

        AssertInvariants();
    }

    private void HandlePutBatch(PutBatch put)
    {
        var items = put.Items;
        if (!AcceptsPuts)
        {
            Refuse(items.Count);
            return;
        }

        if (items.Count == 0)
        {
            Sender.Tell(new Accepted(0));
            return;
        }

        // A later put never overtakes a held one: it queues behind it even if some room exists.
        var held = new HeldPut(Sender, items);
        if (_heldPuts.Count == 0)
        {
            var now = Math.Min(items.Count, _items.Free);
            if (now > 0)
            {
                Add(items, 0, now);
                held.Offset = now;
            }
        }

        if (held.Remaining == 0)
        {
            Sender.Tell(new Accepted(items.Count));
        }
        else
        {
            _heldPuts.Enqueue(held);
        }

        ServeParkedTakes();
        AssertInvariants();
    }

    private void HandleTake(Take take)
    {
        if (_items.Count > 0)
        {
            Sender.Tell(new Taken(Remove(Math.Min(take.Max, _maxBatch))));
            Pump();
        }
        else if (_drained)
        {
            Sender.Tell(Completed.Instance);
        }
        else
        {
            _parkedTakes.Enqueue(new ParkedTake(Sender, take.Max));
        }

        AssertInvariants();
    }

    private void HandleCancelTake(CancelTake cancel)
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
        AssertInvariants();
    }

    private void HandleProducerDone(ProducerDone done)
    {
        _producersDone++;
        if (_producersDone >= _producers)
        {
            BeginCompletion();
        }

        AssertInvariants();
    }

    private void HandleComplete(Complete complete)
    {
        BeginCompletion();
        AssertInvariants();
    }

    private void HandleGetSnapshot(GetSnapshot query) =>
        Sender.Tell(new BufferSnapshot(_items.ToArray(), _items.Capacity, _heldPuts.Count, _parkedTakes.Count, _completing));

    private void BeginCompletion()
    {
        _completing = true;
        CheckDrained();
    }

    /// <summary>Moves held puts in as room allows and hands items to parked takes, until neither can progress.</summary>
    private void Pump()
    {
        while (true)
        {
            FillFromHeldPuts();
            if (_items.Count == 0 || _parkedTakes.Count == 0)
            {
                break;
            }

            ServeParkedTakes();
        }

        CheckDrained();
    }

    private void FillFromHeldPuts()
    {
        while (_heldPuts.Count > 0 && _items.Free > 0)
        {
            var held = _heldPuts.Peek();
            var now = Math.Min(held.Remaining, _items.Free);
            Add(held.Items, held.Offset, now);
            held.Offset += now;
            if (held.Remaining == 0)
            {
                _heldPuts.Dequeue();
                held.Producer.Tell(new Accepted(held.Items.Count));
            }
        }
    }

    private void ServeParkedTakes()
    {
        while (_items.Count > 0 && _parkedTakes.Count > 0)
        {
            var parked = _parkedTakes.Dequeue();
            parked.Consumer.Tell(new Taken(Remove(Math.Min(parked.Max, _maxBatch))));
            FillFromHeldPuts();
        }
    }

    private void CheckDrained()
    {
        if (_drained || !_completing || _items.Count > 0 || _heldPuts.Count > 0)
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

    private void Refuse(int count) => Sender.Tell(new PutRefused(
        count,
        "The buffer is completed: every producer is done or Complete was sent, so it accepts no more items."));

    private void Add(IReadOnlyList<object> source, int offset, int count)
    {
        _items.Append(source, offset, count);
        if (_observer is not null)
        {
            var added = new object[count];
            for (var i = 0; i < count; i++)
            {
                added[i] = source[offset + i];
            }

            _observer.Tell(new ItemsAdded(added, _items.ToArray()));
        }
    }

    private object[] Remove(int count)
    {
        var removed = _items.Remove(Math.Min(count, _items.Count));
        _observer?.Tell(new ItemsRemoved(removed, _items.ToArray()));
        return removed;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        if (_items.Count > _items.Capacity)
        {
            throw new InvalidOperationException($"Buffer holds {_items.Count} items, above its capacity {_items.Capacity}.");
        }

        if (_items.Count > 0 && _parkedTakes.Count > 0)
        {
            throw new InvalidOperationException($"{_parkedTakes.Count} takes wait while {_items.Count} items are present.");
        }

        if (_items.Free > 0 && _heldPuts.Count > 0)
        {
            throw new InvalidOperationException($"{_heldPuts.Count} puts wait while {_items.Free} slots are free.");
        }

        if (_drained && (_items.Count > 0 || _heldPuts.Count > 0 || _parkedTakes.Count > 0))
        {
            throw new InvalidOperationException("The buffer reported Completed but still holds work.");
        }
    }

    /// <summary>A put waiting for room; <see cref="Offset"/> items of it are already in the buffer.</summary>
    private sealed class HeldPut(IActorRef producer, IReadOnlyList<object> items)
    {
        public IActorRef Producer { get; } = producer;

        public IReadOnlyList<object> Items { get; } = items;

        public int Offset { get; set; }

        public int Remaining => Items.Count - Offset;
    }

    private readonly record struct ParkedTake(IActorRef Consumer, int Max);
}
