using Actors.Workers;
using Actors.Pool;
using Akka.Actor;
using Akka.Cluster;

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
    private readonly ActorSystem _system = Context.System;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    /// <summary>Every member, as the cluster's events last described it.</summary>
    private readonly SortedDictionary<Address, Member> _members = new(Member.AddressOrdering);
    /// <summary>Members this node cannot reach now.</summary>
    private readonly HashSet<Address> _unreachable = new();

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
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            _members.Remove(removed.Member.Address);
            _unreachable.Remove(removed.Member.Address);
        });
        Receive<ClusterEvent.IMemberEvent>(changed => _members[changed.Member.Address] = changed.Member);
        Receive<ClusterEvent.UnreachableMember>(unreachable => _unreachable.Add(unreachable.Member.Address));
        Receive<ClusterEvent.ReachableMember>(reachable => _unreachable.Remove(reachable.Member.Address));
        Receive<GetNodeStatus>(_ => StatusAsync(Members()).PipeTo(Sender));
    }

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    /// <summary>Start it as <c>system.ActorOf(NodeStatusActor.Props(settings), NodeStatusActor.Name)</c>.</summary>
    public static Props Props(ClusterModeSettings settings) => Akka.Actor.Props.Create(() => new NodeStatusActor(settings));

    /// <summary>The path of the status actor on the node at <paramref name="address"/>.</summary>
    public static ActorPath PathAt(Address address) => new RootActorPath(address) / "user" / Name;

    private MemberView[] Members() => _members.Values
        .Select(member => new MemberView(member.Address.ToString(), member.Roles.Order().ToArray(), member.Status.ToString(), !_unreachable.Contains(member.Address)))
        .ToArray();

    /// <summary>Runs outside the actor: it reads only what was passed in and thread-safe counters.</summary>
    private async Task<NodeStatus> StatusAsync(MemberView[] members)
    {
        var system = _system;
        var self = _cluster.SelfAddress;
        var pools = await Task.WhenAll(LocalPools.For(system).Managers.Select(async manager =>
        {
            try
            {
                var status = await manager.Key.Ask<PoolStatus>(GetPoolStatus.Instance, _settings.StatusTimeout).ConfigureAwait(false);
                var rates = Telemetry.PoolRates.Shared.Read(manager.Value);
                return new PoolView(manager.Value, status.Routees, status.InFlightChunks, status.QueuedChunks, status.Retries, status.Hosts,
                    rates.CompletedPerSecond, rates.FailedPerSecond);
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                return null; // stopping, or too busy to answer in time: left out of this reading
            }
        })).ConfigureAwait(false);
        return new NodeStatus(self.ToString(), Environment.ProcessId, WorkerActivity.For(system).Read(), pools.OfType<PoolView>().ToArray(), members);
    }
}
