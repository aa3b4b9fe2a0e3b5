using Actors.Pool.Placement;
using Actors.Security;
using Akka.Actor;
using Akka.Configuration;
using Actors.Workers;
using Akka.Routing;

namespace Actors.Threads;

/// <summary>
/// The default placement (<c>actors.pool.mode = local</c>): the pool's router creates and
/// supervises its workers on this process's threads, and a resizer may grow and shrink them. Any
/// actor system will do.
/// </summary>
internal sealed class ThreadPlacement : WorkerPlacement
{
    public override string RequiredProvider => "local";

    public override bool InProcess => true;

    // A plain system, its wire settings still read: a bad actors.security.tls value is an error in every mode.
    public override ActorSystem CreateSystem(string name, Config config) => WireSecurity.CreateSystem(name, config);

    public override PlacementPlan Plan(PlacementRequest request)
    {
        var router = request.Router;
        var routees = router.Resizer is DefaultResizer resizer ? resizer.LowerBound : router.GetNrOfInstances(request.System);
        if (routees < 1)
            throw new ArgumentException($"pool '{request.PoolName}' would have {routees} routees: its router needs nr-of-instances (or a resizer's lower-bound) of at least 1.");
        var settings = request.Settings;
        return new PlacementPlan([LocalWorkers.Props(router, Worker.Spec(), settings.TickInterval, settings.AskTimeout)], routees, settings.AskTimeout);
    }
}
