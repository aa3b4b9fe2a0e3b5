using Actors.Pool.Placement;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Routing;
using Akka.Configuration;

namespace Actors.Cluster;

/// <summary>
/// Cluster mode (<c>actors.pool.mode = cluster</c>): workers live on the members of an Akka.Cluster
/// that have the worker role, each member running one worker host (<see cref="ClusterNode.CreateSystem"/>
/// starts it); the pool finds the hosts as members come up and never deploys anything. It needs a
/// system that is a cluster member, made with the cluster's credentials.
/// </summary>
/// <remarks>
/// The router says which worker a chunk goes to (round-robin or smallest-mailbox); a cluster router
/// pool's <c>use-role</c> chooses the members and its <c>max-nr-of-instances-per-node</c> how many of
/// each member's workers this pool uses. A resizer is refused: members joining and leaving resize the pool.
/// </remarks>
internal sealed class ClusterPlacement : WorkerPlacement
{
    public override string RequiredProvider => "cluster";

    public override string DefaultSystemName => ClusterNode.SystemName;

    public override int LeastRouterSize => 0;

    public override ActorSystem CreateSystem(string name, Config config) => ClusterNode.CreateSystem(config, name);

    public override PlacementPlan Plan(PlacementRequest request)
    {
        var system = request.System;
        if (system is not ExtendedActorSystem { Provider: ClusterActorRefProvider })
            throw new InvalidOperationException(
                "actors.pool.mode = cluster needs akka.actor.provider = cluster (config/cluster.hocon sets it) and a system named like every other member.");
        if (request.Router.Resizer is not null)
            throw new ArgumentException("a cluster pool cannot resize: members joining and leaving resize it. Give its router no resizer.", nameof(request));
        var settings = ClusterModeSettings.Create(system.Settings.Config);
        var clusterRouter = request.Router as ClusterRouterPool;
        var role = clusterRouter?.Settings.UseRole ?? settings.WorkerRole;
        int? perMember = clusterRouter is null ? null : clusterRouter.Settings.MaxInstancesPerNode;
        var minimum = Akka.Cluster.Cluster.Get(system).Settings.MinNrOfMembersOfRole.GetValueOrDefault(role, 1);
        var expected = Math.Max(1, minimum) * Math.Min(perMember ?? settings.WorkersPerNode, settings.WorkersPerNode);
        var pool = request.Settings;
        return new PlacementPlan(
            [ClusterWorkers.Props(settings, role, perMember, pool.AskTimeout, pool.TickInterval)], expected, pool.AskTimeout);
    }
}
