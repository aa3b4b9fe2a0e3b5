using Actors.Pool;
using Akka.Actor;

namespace Actors.Cluster;

/// <summary>
/// Answers <see cref="GetNodeStatus"/> on every cluster node this project starts (and on any system
/// that starts it under <see cref="Name"/>): what the pool workers on this node are doing, what the pools
/// whose manager runs here are doing, and the membership as this node sees it. Watchers that are
/// not members ask a seed for the membership and each member for its own counts.
/// </summary>
internal sealed class NodeStatusActor : ReceiveActor
{
    /// <summary>Its name under <c>/user</c>: the same on every node, so a watcher finds it from a member's address.</summary>
    public const string Name = "actors-node-status";

    private readonly ClusterModeSettings _settings;

    public NodeStatusActor(ClusterModeSettings settings)
    {
        _settings = settings;
        Receive<GetNodeStatus>(_ => StatusAsync().PipeTo(Sender));
    }

    /// <summary>Start it as <c>system.ActorOf(NodeStatusActor.Props(settings), NodeStatusActor.Name)</c>.</summary>
    public static Props Props(ClusterModeSettings settings) => Akka.Actor.Props.Create(() => new NodeStatusActor(settings));

    /// <summary>The path of the status actor on the node at <paramref name="address"/>.</summary>
    public static ActorPath PathAt(Address address) => new RootActorPath(address) / "user" / Name;

    private async Task<NodeStatus> StatusAsync()
    {
        var system = Context.System;
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var members = state.Members
            .Select(member => new MemberView(member.Address.ToString(), member.Roles.Order().ToArray(), member.Status.ToString(), !state.Unreachable.Contains(member)))
            .ToArray();
        var pools = await Task.WhenAll(LocalPools.For(system).Managers.Select(async manager =>
        {
            try
            {
                var status = await manager.Key.Ask<PoolStatus>(GetPoolStatus.Instance, _settings.StatusTimeout).ConfigureAwait(false);
                return new PoolView(manager.Value, status.Routees, status.InFlightChunks, status.QueuedChunks, status.Retries, status.Hosts);
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                return null; // stopping, or too busy to answer in time: left out of this reading
            }
        })).ConfigureAwait(false);
        return new NodeStatus(cluster.SelfAddress.ToString(), Environment.ProcessId, WorkerActivity.For(system).Read(), pools.OfType<PoolView>().ToArray(), members);
    }
}
