using Actors.Pool;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Health;

/// <summary>How a pool is, in one word, as its health check reports it.</summary>
public enum PoolCondition
{
    /// <summary>Workers are there and answering: healthy.</summary>
    Ready,

    /// <summary>Every worker holds work and chunks queue for one: degraded (it still takes work, later answers are slower).</summary>
    Busy,

    /// <summary>A worker is stuck past a chunk's deadline (<see cref="PoolStatus.Stuck"/>), or chunks are in flight and no worker has answered for <see cref="HealthSettings.StuckAfter"/>: degraded (a job may hang).</summary>
    Stuck,

    /// <summary>No worker yet, and some expected (worker processes starting, members joining): not ready, but alive.</summary>
    Starting,

    /// <summary>No worker and none coming (its worker processes cannot start, its nodes are gone): unhealthy.</summary>
    Unavailable,
}

/// <summary>
/// Classifies a pool's <see cref="PoolStatus"/> for readiness: plain C#, no actor, so that the rules
/// are read and tested in one place. <see cref="ActorsHealthCheck"/> applies it to each hosted pool.
/// </summary>
public static class PoolHealth
{
    /// <summary>The condition of a pool whose manager answered <paramref name="status"/>, <paramref name="silentFor"/> after its last worker answer while chunks were in flight.</summary>
    public static PoolCondition Condition(PoolStatus status, TimeSpan silentFor, HealthSettings settings)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(settings);
        if (status.Unavailable is not null) return PoolCondition.Unavailable;
        if (status.Routees == 0) return PoolCondition.Starting;
        if (status.Stuck is { Count: > 0 } || (status.InFlightChunks > 0 && silentFor >= settings.StuckAfter)) return PoolCondition.Stuck;
        if (status.QueuedChunks > 0 && status.InFlightChunks >= status.MaxInFlightChunks) return PoolCondition.Busy;
        return PoolCondition.Ready;
    }

    /// <summary>What readiness makes of a condition: ready and busy and stuck pools take work; starting and unavailable ones do not.</summary>
    public static HealthStatus Readiness(PoolCondition condition) => condition switch
    {
        PoolCondition.Ready => HealthStatus.Healthy,
        PoolCondition.Busy or PoolCondition.Stuck => HealthStatus.Degraded,
        _ => HealthStatus.Unhealthy,
    };

    /// <summary>One sentence a person can act on.</summary>
    public static string Explain(string pool, PoolCondition condition, PoolStatus status, TimeSpan silentFor) => condition switch
    {
        PoolCondition.Ready => $"pool '{pool}': {status.Routees} workers ready, {status.InFlightChunks} chunks in flight",
        PoolCondition.Busy => $"pool '{pool}' is busy: all {status.Routees} workers hold work and {status.QueuedChunks} chunks wait for one",
        PoolCondition.Stuck when status.Stuck is { Count: > 0 } stuck => $"pool '{pool}' has {stuck.Count} worker(s) stuck past a deadline, retired and replaced: {string.Join("; ", stuck)}",
        PoolCondition.Stuck => $"pool '{pool}' looks stuck: {status.InFlightChunks} chunks in flight and no worker has answered for {silentFor.TotalSeconds:0} s (a job may hang; a task timeout fails it)",
        PoolCondition.Starting => $"pool '{pool}' is starting: no worker is ready yet",
        _ => $"pool '{pool}' is unavailable: {status.Unavailable}",
    };
}
