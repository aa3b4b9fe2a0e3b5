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
/// <param name="Status">Joining, WeaklyUp, Up, Leaving, Exiting, Down, or Removed (for a minute after it left the membership).</param>
/// <param name="Reachable">Whether the node that answered can reach it.</param>
/// <param name="Reason">Why it is down or removed, when this node knows (it downed it, or saw it leave); empty otherwise.</param>
internal sealed record MemberView(string Address, IReadOnlyList<string> Roles, string Status, bool Reachable, string Reason = "")
{
    /// <summary>Whether it can still answer a status question: a member downed or removed is gone, and asking it would only wait out the timeout.</summary>
    public bool MayAnswer => Status is not ("Down" or "Removed");
}

/// <summary>One pool as the library's meter shows it on the node its manager runs on (<see cref="Telemetry.PoolMeterReading"/>).</summary>
/// <param name="Name">The pool's name.</param>
/// <param name="Mode">Where its workers live: local, processes or cluster.</param>
/// <param name="Routees">Its workers now, ready, busy or stuck.</param>
/// <param name="InFlight">Chunks sent and not yet answered.</param>
/// <param name="Queued">Chunks waiting for a worker.</param>
/// <param name="Retries">Inputs sent again (a failure, a timeout, a lost or departed worker) since the node began listening.</param>
/// <param name="Hosts">Members (or processes) its workers run on.</param>
/// <param name="Completed">Inputs completed since the node began listening.</param>
/// <param name="Failed">Inputs failed since then.</param>
/// <param name="CompletedPerSecond">Inputs completed per second over the last 10 s.</param>
/// <param name="FailedPerSecond">Inputs failed per second over the last 10 s.</param>
internal sealed record PoolView(
    string Name, string Mode, int Routees, int InFlight, int Queued, long Retries, int Hosts, long Completed, long Failed, double CompletedPerSecond, double FailedPerSecond);

/// <summary>
/// Tells a member (its <see cref="NodeStatusActor"/>) that the process of another member is known to
/// have exited (<c>cluster up</c> saw its child exit), so that it is downed at once rather than when
/// the failure detector and the split brain resolver decide. Answered with <see cref="ExitedMemberNoted"/>.
/// </summary>
/// <param name="Member">The exited member's address.</param>
/// <param name="Reason">What was seen, for the log and the view (e.g. "process exited (pid 123, code 137)").</param>
internal sealed record DownExitedMember(string Member, string Reason) : IClusterNodeMessage;

/// <summary>What became of a <see cref="DownExitedMember"/>.</summary>
/// <param name="Downed">Whether this node downed the member now.</param>
/// <param name="Detail">Why not, or how its death was confirmed.</param>
internal sealed record ExitedMemberNoted(string Member, bool Downed, string Detail) : IClusterNodeMessage;

/// <summary>
/// Published on the local event stream when this node's <see cref="DeadMemberDowner"/> downs a member,
/// so that its <see cref="NodeStatusActor"/> can say why. Never sent over the wire.
/// </summary>
internal sealed record DeadMemberDowned(Akka.Actor.Address Member, string Reason) : Akka.Actor.INoSerializationVerificationNeeded;
