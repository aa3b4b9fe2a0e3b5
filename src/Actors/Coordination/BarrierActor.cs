using Akka.Actor;

namespace Actors.Coordination;

/// <summary>
/// Python's <c>threading.Barrier(parties)</c> as an actor: each party sends
/// <see cref="ArriveAtBarrier"/>, and when the last one arrives all of them are answered with
/// <see cref="BarrierPassed"/> together. The barrier then starts its next generation, so the same
/// parties can meet again.
/// </summary>
/// <remarks>
/// Unlike Python's barrier there is no broken state and no per-barrier timeout: a party that
/// never arrives leaves the others waiting until their own Ask times out, and nobody else is
/// disturbed. Waiting blocks no thread. Reachable from other processes: the messages are bound to
/// a serializer.
/// </remarks>
public sealed class BarrierActor : ReceiveActor
{
    private readonly int _parties;
    private readonly List<IActorRef> _arrived = [];
    private long _generation;

    /// <summary>Used by Akka through <see cref="Props"/>.</summary>
    public BarrierActor(int parties)
    {
        _parties = parties;
        Receive<ArriveAtBarrier>(_ => HandleArrive());
        Receive<GetBarrierState>(_ => Sender.Tell(new BarrierState(_parties, _arrived.Count, _generation)));
    }

    /// <summary>Props of a barrier that opens each time <paramref name="parties"/> have arrived.</summary>
    /// <param name="parties">At least 1.</param>
    public static Props Props(int parties)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parties, 1);
        return Akka.Actor.Props.Create(() => new BarrierActor(parties));
    }

    private void HandleArrive()
    {
        _arrived.Add(Sender);
        if (_arrived.Count < _parties) return;

        for (var i = 0; i < _arrived.Count; i++) _arrived[i].Tell(new BarrierPassed(_generation, i));
        _arrived.Clear();
        _generation++;
    }
}
