namespace Actors.Cluster;

// A cluster node's status, asked for by whoever watches the cluster (actors cluster status, the
// live view of actors cluster up). Bound to ClusterNodeSerializer in reference.conf.

/// <summary>Marks the status protocol of cluster nodes.</summary>
internal interface IClusterNodeMessage;

/// <summary>Asks a node's <see cref="NodeStatusActor"/> for a <see cref="NodeStatus"/>.</summary>
internal sealed class GetNodeStatus : IClusterNodeMessage
{
    public static GetNodeStatus Instance { get; } = new();

    private GetNodeStatus() { }
}

/// <summary>One node's status: what its workers and pools are doing, and the membership as it sees it.</summary>
/// <param name="Address">The node's own address.</param>
/// <param name="Pid">Its process id.</param>
/// <param name="Workers">What the pool workers living on it are doing.</param>
/// <param name="Pools">The cluster-mode pools whose manager runs on it (a node that submits work).</param>
/// <param name="Members">Every member, as this node sees it.</param>
internal sealed record NodeStatus(
    string Address, int Pid, Actors.Workers.WorkerActivitySnapshot Workers, IReadOnlyList<PoolView> Pools, IReadOnlyList<MemberView> Members) : IClusterNodeMessage;

/// <summary>A member as one node sees it.</summary>
/// <param name="Status">Joining, WeaklyUp, Up, Leaving, Exiting, Down or Removed.</param>
/// <param name="Reachable">Whether the node that answered can reach it.</param>
internal sealed record MemberView(string Address, IReadOnlyList<string> Roles, string Status, bool Reachable);

/// <summary>What one pool's manager is doing (its <see cref="Pool.PoolStatus"/>, named).</summary>
/// <param name="Name">The pool's name.</param>
/// <param name="Routees">Workers taking chunks now.</param>
/// <param name="InFlight">Chunks sent and not yet answered.</param>
/// <param name="Queued">Chunks waiting for a worker.</param>
/// <param name="Retries">Chunks sent again (a failure, a timeout, a lost or departed worker).</param>
/// <param name="Hosts">Members its workers run on.</param>
/// <param name="CompletedPerSecond">Inputs completed per second over the last 10 s, read from the library's meter (<c>Telemetry.PoolRates</c>).</param>
/// <param name="FailedPerSecond">Inputs failed per second over the last 10 s, from the same reading.</param>
internal sealed record PoolView(string Name, int Routees, int InFlight, int Queued, long Retries, int Hosts, double CompletedPerSecond = 0, double FailedPerSecond = 0);
