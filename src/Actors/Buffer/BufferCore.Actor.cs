using System.Diagnostics;

namespace Actors.Buffer;

// What the buffer actor does to the core on behalf of the actors that talk to it, and the
// invariants. Each call is one step inside the gate; the actor re-reads the state between steps,
// since the faces may act between them.
internal sealed partial class BufferCore<T>
{
    /// <summary>
    /// Whether the buffer is completed and empty: no item will ever follow. Read without the gate:
    /// it only ever turns true, and a caller that sees it false late asks again in <see cref="Settle"/>.
    /// </summary>
    public bool IsDrained => Volatile.Read(ref _drained);

    /// <summary>
    /// Whether the buffer seems to hold items, read without the gate: a hint that spares the actor a
    /// step when it is empty. Missing an item that just arrived is safe, since <see cref="Settle"/>
    /// checks under the gate and tells the actor to serve its waiters again.
    /// </summary>
    public bool MayHoldItems => _items.Count > 0;

    /// <summary>
    /// Adds up to <paramref name="count"/> items of <paramref name="source"/> from <paramref name="offset"/>,
    /// as <paramref name="mode"/> allows.
    /// </summary>
    /// <returns>How many went in, or -1 when a <see cref="AddMode.New"/> put was refused because the buffer is completed.</returns>
    public int Add(IReadOnlyList<T> source, int offset, int count, AddMode mode)
    {
        using (EnterForActor())
        {
            int added;
            switch (mode)
            {
                case AddMode.New when _doneWriting:
                    return -1;
                case AddMode.Reserved:
                    _reserved -= count;
                    added = count;
                    break;
                default:
                    added = Math.Min(count, Free);
                    break;
            }

            if (added > 0)
            {
                _items.Append(source, offset, added);
            }

            Balance();
            return added;
        }
    }

    /// <summary>Removes up to <paramref name="max"/> items, oldest first; <paramref name="hold"/> keeps them counted until <see cref="Consume"/>.</summary>
    public T[] Take(int max, bool hold)
    {
        using (EnterForActor())
        {
            var removed = _items.Remove(Math.Min(max, _items.Count));
            if (hold)
            {
                _held += removed.Length;
            }

            Balance();
            return removed;
        }
    }

    /// <summary>Reserves up to <paramref name="wanted"/> slots of the free room; returns how many (none once the buffer is completed).</summary>
    public int Reserve(int wanted)
    {
        using (EnterForActor())
        {
            var granted = _doneWriting ? 0 : Math.Clamp(wanted, 0, Free);
            _reserved += granted;
            return granted;
        }
    }

    /// <summary>Gives back <paramref name="count"/> reserved slots.</summary>
    public void Unreserve(int count)
    {
        using (EnterForActor())
        {
            _reserved -= count;
            Balance();
        }
    }

    /// <summary><paramref name="count"/> held items were consumed: their room is free.</summary>
    public void Consume(int count)
    {
        using (EnterForActor())
        {
            _held -= count;
            Balance();
        }
    }

    /// <summary>The actor restarted without its ledger: the slots it reserved, the items it held out and its held puts no longer count.</summary>
    public void ForgetActorClaims()
    {
        using (EnterForActor())
        {
            _reserved = _held = _pendingPuts = _actorWaitingProducers = _actorWaitingConsumers = 0;
            Balance();
        }
    }

    /// <summary>
    /// The actor's step after each message, in one pass through the gate: records the items of its
    /// held puts still to go in (the buffer drains only once they are in) and how many parties it
    /// holds (for the instruments), and asks to be told (<see cref="BufferProtocol.CoreChanged"/>)
    /// when room appears (some producer waits) or an item appears or the buffer drains (some
    /// consumer waits).
    /// </summary>
    /// <param name="pendingPuts">Items of the actor's held puts still to go in.</param>
    /// <param name="waitingProducers">Held puts and parked reservations.</param>
    /// <param name="waitingConsumers">Parked takes and demands.</param>
    /// <returns>
    /// Whether the buffer is completed and drained, and whether the request was armed (false when
    /// what the actor wants is already there: it should serve its waiters again instead).
    /// </returns>
    public (bool DoneWriting, bool Drained, bool Armed) Settle(int pendingPuts, int waitingProducers, int waitingConsumers)
    {
        using (EnterForActor())
        {
            if (_pendingPuts != pendingPuts)
            {
                _pendingPuts = pendingPuts;
                Balance();
            }

            _actorWaitingProducers = waitingProducers;
            _actorWaitingConsumers = waitingConsumers;
            var (wantRoom, wantItems) = (waitingProducers > 0, waitingConsumers > 0);

            var armed = !((wantRoom && Free > 0) || (wantItems && (_items.Count > 0 || _drained)));
            if (armed)
            {
                _actorWantsRoom = wantRoom;
                _actorWantsItems = wantItems;
            }

            return (_doneWriting, _drained, armed);
        }
    }

    /// <summary>Whether a face put waits on claimed room and a face take on reserved slots since the last call; clears both.</summary>
    public (bool Room, bool Items) TakeFaceRequests()
    {
        using (Enter())
        {
            var requests = (_facesWantRoom, _facesWantItems);
            _facesWantRoom = _facesWantItems = false;
            return requests;
        }
    }

    /// <summary>The items (a copy, oldest first), the face callers waiting, and whether the buffer refuses puts.</summary>
    public (T[] Items, int WaitingPuts, int WaitingTakes, bool DoneWriting) Snapshot()
    {
        using (Enter())
        {
            return (
                _items.ToArray(),
                FaceWaiter<bool>.CountLive(_blockedWriters) + FaceWaiter<bool>.CountLive(_writeWaiters),
                FaceWaiter<T>.CountLive(_blockedReaders) + FaceWaiter<bool>.CountLive(_readWaiters),
                _doneWriting);
        }
    }

    /// <summary>The items, a copy, oldest first (for the observer's events).</summary>
    public T[] Contents()
    {
        using (Enter())
        {
            return _items.ToArray();
        }
    }

    /// <summary>
    /// Enters for a step of the actor's own that changes the state: what the actor asked to hear of is cleared, since it
    /// acts now and asks again (<see cref="Settle"/>) at the end of its message; so the actor's own
    /// steps never send it a <see cref="BufferProtocol.CoreChanged"/>.
    /// </summary>
    private FaceGate.Scope EnterForActor()
    {
        var scope = Enter();
        _actorWantsRoom = _actorWantsItems = false;
        return scope;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Fail(_items.Count + _reserved + _held > _items.Capacity || _reserved < 0 || _held < 0,
            $"{_items.Count} items + {_reserved} reserved + {_held} held against a capacity of {_items.Capacity}.");
        Fail(_items.Count > 0 && FaceWaiter<T>.HasLive(_blockedReaders), $"a take waits while {_items.Count} items are present.");
        Fail(_items.Count > 0 && FaceWaiter<bool>.HasLive(_readWaiters), $"a wait-to-read waits while {_items.Count} items are present.");
        Fail((Free > 0 || _doneWriting) && FaceWaiter<bool>.HasLive(_blockedWriters), $"a put waits while {Free} slots are free or the buffer is completed.");
        Fail((Free > 0 || _doneWriting) && FaceWaiter<bool>.HasLive(_writeWaiters), $"a wait-to-write waits while {Free} slots are free or the buffer is completed.");
        Fail(_drained && (_items.Count > 0 || !_doneWriting), "the buffer drained but holds items or still accepts puts.");
        Fail(_completion.Task.IsCompleted != _drained, "Completion disagrees with the drained state.");

        static void Fail(bool broken, string what)
        {
            if (broken)
            {
                throw new InvalidOperationException("Buffer invariant broken: " + what);
            }
        }
    }
}

/// <summary>How <see cref="BufferCore{T}.Add"/> lets an actor's items in.</summary>
internal enum AddMode
{
    /// <summary>A new put: as far as free room allows, refused once the buffer is completed.</summary>
    New,

    /// <summary>A put held before completion: as far as free room allows, even after completion.</summary>
    Held,

    /// <summary>Into slots reserved for them: all at once, even after completion (they were promised).</summary>
    Reserved,
}
