using Akka.Actor;

namespace Actors.Pool;

/// <summary>
/// A pool's size, checked the same way in every mode before anything starts: a size that can
/// never give a worker is an <see cref="ArgumentOutOfRangeException"/> (Python's <c>Pool(-1)</c>
/// is a <c>ValueError</c>), for the router's <c>nr-of-instances</c>; each placement says how small
/// a router may be (<see cref="Placement.WorkerPlacement.LeastRouterSize"/>).
/// </summary>
internal static class PoolSizes
{
    /// <exception cref="ArgumentOutOfRangeException">The router's size is out of range.</exception>
    public static void Check(string name, Akka.Routing.Pool router, int least, ActorSystem system)
    {
        if (router.Resizer is null)
        {
            var routees = router.GetNrOfInstances(system);
            if (routees < least)
                throw new ArgumentOutOfRangeException(nameof(router), routees,
                    $"pool '{name}' would have {routees} routees: its router needs nr-of-instances (or a resizer's lower-bound) of at least {least}.");
        }
    }
}
