using Actors.Telemetry;
using Actors.Workers;
using Akka.Actor;
using Akka.Cluster;

namespace Actors.Cluster;

/// <summary>
/// Answers <see cref="GetNodeStatus"/> on every cluster node this project starts — seeds, worker
/// members and the members that submit work (and on any system that starts it under <see cref="Name"/>):
/// what the pool workers on this node are doing, what its cluster-mode pools (<see cref="LocalPools"/>)
/// are doing as the library's meter shows them (<see cref="PoolMeterSnapshot"/>), and the membership as this node
/// sees it, with members removed in the last <see cref="RemovedShownFor"/> and why, when it knows.
/// It answers from what it holds, without asking anyone, so a busy pool never delays its answer.
/// Watchers that are not members ask a seed for the membership and each member for its own counts.
/// It also takes <see cref="DownExitedMember"/> reports to its node's <see cref="DeadMemberDowner"/>.
/// </summary>
internal sealed class NodeStatusActor : ReceiveActor
{
    /// <summary>Its name under <c>/user</c>: the same on every node, so a watcher finds it from a member's address.</summary>
    public const string Name = "actors-node-status";

    /// <summary>How long a member removed from the membership is still listed, as Removed with why.</summary>
    public static readonly TimeSpan RemovedShownFor = TimeSpan.FromMinutes(1);

    /// <summary>The most reasons remembered; the oldest go first (a bound for a cluster that churns for days).</summary>
    private const int ReasonsKept = 256;

    private readonly ClusterModeSettings _settings;
    private readonly ActorSystem _system = Context.System;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    /// <summary>Every member, as the cluster's events last described it.</summary>
    private readonly SortedDictionary<Address, Member> _members = new(Member.AddressOrdering);
    /// <summary>Members this node cannot reach now.</summary>
    private readonly HashSet<Address> _unreachable = new();
    /// <summary>Members removed lately: how they were last seen, and when they went.</summary>
    private readonly Dictionary<Address, (MemberView Last, DateTime Since)> _removed = new();
    /// <summary>Why members were downed, when this node downed them (its dead-member downer says).</summary>
    private readonly Dictionary<Address, string> _reasons = new();

    public NodeStatusActor(ClusterModeSettings settings)
    {
        _settings = settings;
        // The membership is kept from the cluster's own events: they are what every other decision
        // of this node follows, and they arrive in order.
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            _members.Clear();
            foreach (var member in state.Members) _members[member.Address] = member;
            _unreachable.Clear();
            _unreachable.UnionWith(state.Unreachable.Select(member => member.Address));
        });
        Receive<ClusterEvent.MemberRemoved>(Removed);
        Receive<ClusterEvent.IMemberEvent>(changed =>
        {
            _members[changed.Member.Address] = changed.Member;
            _removed.Remove(changed.Member.Address);
        });
        Receive<ClusterEvent.UnreachableMember>(unreachable => _unreachable.Add(unreachable.Member.Address));
        Receive<ClusterEvent.ReachableMember>(reachable => _unreachable.Remove(reachable.Member.Address));
        Receive<DeadMemberDowned>(downed =>
        {
            if (_reasons.Count >= ReasonsKept) _reasons.Remove(_reasons.Keys.First());
            _reasons[downed.Member] = downed.Reason;
        });
        Receive<DownExitedMember>(report =>
        {
            if (_settings.DownDeadMembers) Context.ActorSelection(new RootActorPath(_cluster.SelfAddress) / "user" / DeadMemberDowner.Name).Tell(report, Sender);
            else Sender.Tell(new ExitedMemberNoted(report.Member, false, $"{ClusterModeSettings.SectionPath}.down-dead-members = off on this node"));
        });
        Receive<GetNodeStatus>(_ => Sender.Tell(Status()));
    }

    protected override void PreStart()
    {
        _ = PoolMeterSnapshot.Shared; // listening from the node's start: the totals it reports count from here
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        _system.EventStream.Subscribe(Self, typeof(DeadMemberDowned));
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _system.EventStream.Unsubscribe(Self);
    }

    /// <summary>Start it as <c>system.ActorOf(NodeStatusActor.Props(settings), NodeStatusActor.Name)</c>.</summary>
    public static Props Props(ClusterModeSettings settings) => Akka.Actor.Props.Create(() => new NodeStatusActor(settings));

    /// <summary>The path of the status actor on the node at <paramref name="address"/>.</summary>
    public static ActorPath PathAt(Address address) => new RootActorPath(address) / "user" / Name;

    /// <summary>
    /// Tells the node at <paramref name="node"/> that <paramref name="member"/>'s process exited, as
    /// whoever started that process saw it; the answer says whether the node downed it.
    /// </summary>
    public static Task<ExitedMemberNoted> ReportExitedAsync(ActorSystem asker, Address node, string member, string reason, TimeSpan timeout, CancellationToken cancellationToken) =>
        asker.ActorSelection(PathAt(node)).Ask<ExitedMemberNoted>(new DownExitedMember(member, reason), timeout, cancellationToken);

    private void Removed(ClusterEvent.MemberRemoved removed)
    {
        var address = removed.Member.Address;
        var wasUnreachable = _unreachable.Remove(address);
        _members.Remove(address);
        var why = _reasons.TryGetValue(address, out var reason) ? $"downed: {reason}" : removed.PreviousStatus switch
        {
            MemberStatus.Down when wasUnreachable => "downed after it was unreachable (the split brain resolver, or another member)",
            MemberStatus.Down => "downed",
            MemberStatus.Exiting or MemberStatus.Leaving => "left",
            _ => "removed",
        };
        _removed[address] = (new MemberView(address.ToString(), removed.Member.Roles.Order().ToArray(), "Removed", false, why), DateTime.UtcNow);
        foreach (var gone in _removed.Where(entry => DateTime.UtcNow - entry.Value.Since > RemovedShownFor).Select(entry => entry.Key).ToArray()) _removed.Remove(gone);
    }

    private NodeStatus Status()
    {
        var members = _members.Values
            .Select(member => new MemberView(member.Address.ToString(), member.Roles.Order().ToArray(), member.Status.ToString(), !_unreachable.Contains(member.Address),
                member.Status == MemberStatus.Down && _reasons.TryGetValue(member.Address, out var reason) ? reason : ""))
            .Concat(_removed.Values.Where(entry => DateTime.UtcNow - entry.Since <= RemovedShownFor).Select(entry => entry.Last))
            .ToArray();
        var local = LocalPools.For(_system).Names;
        var pools = PoolMeterSnapshot.Shared.Read().Where(pool => local.Contains(pool.Pool)).Select(pool => new PoolView(pool.Pool, pool.Mode, pool.Workers, pool.InFlight, pool.Queued, pool.Retried, pool.Hosts,
            pool.Completed, pool.Failed, pool.CompletedPerSecond, pool.FailedPerSecond)).ToArray();
        return new NodeStatus(_cluster.SelfAddress.ToString(), Environment.ProcessId, WorkerActivity.For(_system).Read(), pools, members);
    }
}
