namespace Actors.Coordination;

/// <summary>
/// Marker for every message of the coordination actors (<see cref="LatchActor"/>,
/// <see cref="BarrierActor"/>), so that one serializer binding carries them across processes.
/// </summary>
public interface ICoordinationMessage;

/// <summary>Command: set the latch. Every waiter is answered with <see cref="LatchSet"/>, and so is every later one until <see cref="ClearLatch"/>.</summary>
public sealed record SetLatch : ICoordinationMessage
{
    /// <summary>The only instance.</summary>
    public static SetLatch Instance { get; } = new();

    private SetLatch() { }
}

/// <summary>Command: clear the latch (Python's <c>Event.clear</c>); later waiters wait for the next <see cref="SetLatch"/>.</summary>
public sealed record ClearLatch : ICoordinationMessage
{
    /// <summary>The only instance.</summary>
    public static ClearLatch Instance { get; } = new();

    private ClearLatch() { }
}

/// <summary>
/// Command: answer the sender with <see cref="LatchSet"/> once the latch is set: at once when it is
/// set already, so a waiter that arrives late never misses it (Python's <c>Event.wait</c>).
/// </summary>
public sealed record AwaitLatch : ICoordinationMessage
{
    /// <summary>The only instance.</summary>
    public static AwaitLatch Instance { get; } = new();

    private AwaitLatch() { }
}

/// <summary>Reply to <see cref="AwaitLatch"/>: the latch is set.</summary>
public sealed record LatchSet : ICoordinationMessage
{
    /// <summary>The only instance.</summary>
    public static LatchSet Instance { get; } = new();

    private LatchSet() { }
}

/// <summary>Query: answered with <see cref="LatchState"/>.</summary>
public sealed record GetLatchState : ICoordinationMessage
{
    /// <summary>The only instance.</summary>
    public static GetLatchState Instance { get; } = new();

    private GetLatchState() { }
}

/// <summary>Reply to <see cref="GetLatchState"/>.</summary>
/// <param name="IsSet">Whether the latch is set (Python's <c>Event.is_set</c>).</param>
/// <param name="Waiting">Waiters not yet answered.</param>
public sealed record LatchState(bool IsSet, int Waiting) : ICoordinationMessage;

/// <summary>
/// Command: the sender has reached the barrier. It is answered with <see cref="BarrierPassed"/>
/// when the last of the barrier's parties arrives (Python's <c>Barrier.wait</c>).
/// </summary>
public sealed record ArriveAtBarrier : ICoordinationMessage
{
    /// <summary>The only instance.</summary>
    public static ArriveAtBarrier Instance { get; } = new();

    private ArriveAtBarrier() { }
}

/// <summary>Reply to <see cref="ArriveAtBarrier"/>, sent to every party of a generation at the same moment.</summary>
/// <param name="Generation">Which passage this was: 0 for the first, 1 for the next, and so on (the barrier is reusable).</param>
/// <param name="Arrival">This party's place in the arrival order of its generation, 0 for the first.</param>
public sealed record BarrierPassed(long Generation, int Arrival) : ICoordinationMessage;

/// <summary>Query: answered with <see cref="BarrierState"/>.</summary>
public sealed record GetBarrierState : ICoordinationMessage
{
    /// <summary>The only instance.</summary>
    public static GetBarrierState Instance { get; } = new();

    private GetBarrierState() { }
}

/// <summary>Reply to <see cref="GetBarrierState"/>.</summary>
/// <param name="Parties">Arrivals that open the barrier.</param>
/// <param name="Waiting">Parties of the current generation that have arrived and wait.</param>
/// <param name="Generation">The current generation; it counts the passages so far.</param>
public sealed record BarrierState(int Parties, int Waiting, long Generation) : ICoordinationMessage;
