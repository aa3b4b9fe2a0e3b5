using Akka.Actor;

namespace Actors.Pool;

/// <summary>
/// A pool's size, checked the same way in every mode before anything starts: a size that can
/// never give a worker is an <see cref="ArgumentOutOfRangeException"/> (Python's <c>Pool(-1)</c>
/// is a <c>ValueError</c>), whether it is the router's <c>nr-of-instances</c> or processes mode's
/// <c>actors.pool.processes.count</c>.
/// </summary>
internal static class PoolSizes
{
    /// <exception cref="ArgumentOutOfRangeException">The router's size, or the worker process count, is out of range.</exception>
    public static void Check(string name, Akka.Routing.Pool router, PoolSettings settings, ActorSystem system)
    {
        if (router.Resizer is null)
        {
            var routees = router.GetNrOfInstances(system);
            // A cluster router reads 0 as "the per-node maximum"; elsewhere it is a pool of no one.
            var least = settings.Mode == PoolMode.Cluster ? 0 : 1;
            if (routees < least)
                throw new ArgumentOutOfRangeException(nameof(router), routees,
                    $"pool '{name}' would have {routees} routees: its router needs nr-of-instances (or a resizer's lower-bound) of at least {least}.");
        }
        if (settings.Mode == PoolMode.Processes && settings.Processes.Count < 0)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Processes.Count,
                $"pool '{name}': actors.pool.processes.count = {settings.Processes.Count}: a pool needs at least one worker process (0 = one per core).");
    }
}
