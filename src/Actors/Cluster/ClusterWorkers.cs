using Actors.Pool.Membership;
using Actors.Protocol;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Routing;
using Akka.Event;
using Akka.Routing;

namespace Actors.Cluster;

/// <summary>
/// Cluster mode's membership: once this node is up (and the worker members that
/// <c>akka.cluster.role.ROLE.min-nr-of-members</c> asks for have joined), a cluster router pool
/// deploys the workers onto the worker members and supervises them; this actor tells the manager
/// which routees there are and what became of them, as <see cref="MemberRoutees{TWorker,TNode}"/>
/// decides from the cluster's member and reachability events. The pool did not start the members,
/// so it never stops them.
/// </summary>
internal sealed class ClusterWorkers : ReceiveActor, IWithTimers
{
    private sealed class Poll : INoSerializationVerificationNeeded
    {
        public static readonly Poll Instance = new();
    }

    private sealed class SelfUp : INoSerializationVerificationNeeded
    {
        public static readonly SelfUp Instance = new();
    }

    private sealed class NoWorkersYet : INoSerializationVerificationNeeded
    {
        public static readonly NoWorkersYet Instance = new();
    }

    private const string PollTimer = "poll";
    private const string WaitTimer = "wait-for-workers";

    private readonly ClusterModeSettings _settings;
    private readonly TimeSpan _pollInterval;
    private readonly RouterRoutees _routees;
    private readonly MemberRoutees<IActorRef, Address> _members = new(worker => worker.Path.Address);
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _routerStarted;
    private int _hosts = -1;

    public ClusterWorkers(ClusterRouterPool router, WorkerSpec worker, ClusterModeSettings settings, TimeSpan pollInterval, TimeSpan askTimeout)
    {
        _settings = settings;
        _pollInterval = pollInterval;
        var supervised = (ClusterRouterPool)router.WithFallback(FromConfig.Instance.WithSupervisorStrategy(worker.Strategy));
        _routees = new RouterRoutees(Context, supervised, worker.Props, askTimeout);

        Receive<SelfUp>(_ => StartRouter());
        Receive<Poll>(_ => _routees.Query(Self));
        Receive<RouteesListed>(listed =>
        {
            if (_routees.Update(listed) is not null) Tell(_members.Listed(listed.Routees!));
        });
        Receive<ClusterEvent.MemberJoined>(joined => Tell(_members.MemberUp(joined.Member.Address)));
        Receive<ClusterEvent.MemberUp>(up => Tell(_members.MemberUp(up.Member.Address)));
        Receive<ClusterEvent.MemberWeaklyUp>(up => Tell(_members.MemberUp(up.Member.Address)));
        Receive<ClusterEvent.UnreachableMember>(unreachable => Tell(_members.Unreachable(unreachable.Member.Address)));
        Receive<ClusterEvent.ReachableMember>(reachable => Tell(_members.Reachable(reachable.Member.Address)));
        Receive<ClusterEvent.MemberLeft>(left => Tell(_members.Leaving(left.Member.Address)));
        Receive<ClusterEvent.MemberExited>(exited => Tell(_members.Leaving(exited.Member.Address)));
        Receive<ClusterEvent.MemberDowned>(downed => Tell(_members.Downed(downed.Member.Address)));
        Receive<ClusterEvent.MemberRemoved>(removed =>
            Tell(_members.Removed(removed.Member.Address, afterExiting: removed.PreviousStatus == MemberStatus.Exiting)));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<Terminated>(terminated =>
        {
            if (!terminated.ActorRef.Equals(_routees.Router))
            {
                Tell(_members.Terminated(terminated.ActorRef));
                return;
            }
            _routees.Restart();
            Tell(_members.RouterStopped());
            _routees.Query(Self);
        });
        Receive<NoWorkersYet>(_ =>
        {
            if (_members.Count > 0) return;
            var why = _routerStarted
                ? $"no worker member (role '{_settings.WorkerRole}') has been up for {_settings.WaitForWorkers} (actors.cluster.wait-for-workers)"
                : $"this node did not become a cluster member with worker members within {_settings.WaitForWorkers} (actors.cluster.wait-for-workers): "
                  + $"no seed of [{string.Join(", ", _cluster.Settings.SeedNodes)}] accepted it, or fewer worker members than akka.cluster.role.{_settings.WorkerRole}.min-nr-of-members joined";
            _log.Warning("{0}; waiting inputs fail, and the pool takes work again when a worker member joins", why);
            Context.Parent.Tell(new NoWorkersLeft(why));
        });
        Receive<StopWorkers>(_ => Sender.Tell(WorkersStopped.Instance)); // the members are not this pool's to stop
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The membership of a pool named after <paramref name="router"/>'s deployment, and how many workers to size its first map for.</summary>
    /// <exception cref="InvalidOperationException">The actor system does not run the cluster provider.</exception>
    /// <exception cref="ArgumentException">The router cannot be made cluster-aware (it has a resizer).</exception>
    public static ClusterMembership For(ActorSystem system, Akka.Routing.Pool router, WorkerSpec worker, TimeSpan pollInterval, TimeSpan askTimeout)
    {
        if (system is not ExtendedActorSystem { Provider: ClusterActorRefProvider })
            throw new InvalidOperationException(
                "actors.pool.mode = cluster needs akka.actor.provider = cluster (config/cluster.hocon sets it) and a system named like every other member.");
        var settings = ClusterModeSettings.Create(system.Settings.Config);
        var cluster = ClusterRouter(router, settings);
        var minimum = Akka.Cluster.Cluster.Get(system).Settings.MinNrOfMembersOfRole.GetValueOrDefault(cluster.Settings.UseRole ?? "", 1);
        var expected = Math.Min(cluster.Settings.TotalInstances, cluster.Settings.MaxInstancesPerNode * Math.Max(1, minimum));
        return new ClusterMembership(Akka.Actor.Props.Create(() => new ClusterWorkers(cluster, worker, settings, pollInterval, askTimeout)), expected);
    }

    /// <summary>
    /// The router as a cluster router pool: a configured one as it is; any other pool (one given in
    /// code) wrapped, its nr-of-instances the cluster-wide total, <c>workers-per-node</c> on each
    /// worker member, and none on this node.
    /// </summary>
    internal static ClusterRouterPool ClusterRouter(Akka.Routing.Pool router, ClusterModeSettings settings)
    {
        if (router is ClusterRouterPool cluster) return cluster;
        if (router.Resizer is not null)
            throw new ArgumentException("a cluster router pool cannot resize: give it nr-of-instances (the cluster-wide total) and no resizer.", nameof(router));
        return new ClusterRouterPool(router, new ClusterRouterPoolSettings(
            Math.Max(1, router.NrOfInstances), settings.WorkersPerNode, allowLocalRoutees: false, settings.WorkerRole));
    }

    protected override void PreStart()
    {
        LocalPools.For(Context.System).Add(Context.Parent);
        // The manager waits for every membership's first word before it answers status queries.
        CountHosts();
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        var self = Self;
        // A cluster router created before its node is up loses its first messages (akka.net #1062, #2327).
        _cluster.RegisterOnMemberUp(() => self.Tell(SelfUp.Instance));
        Timers.StartSingleTimer(WaitTimer, NoWorkersYet.Instance, _settings.WaitForWorkers);
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        LocalPools.For(Context.System).Remove(Context.Parent);
    }

    private void StartRouter()
    {
        if (_routerStarted) return;
        _routerStarted = true;
        _routees.Start();
        _routees.Query(Self);
        Timers.StartPeriodicTimer(PollTimer, Poll.Instance, _pollInterval);
    }

    private void Tell(IReadOnlyList<WorkerChange<IActorRef>> changes)
    {
        foreach (var change in changes)
        {
            switch (change.Kind)
            {
                case WorkerChangeKind.Added:
                    foreach (var worker in change.Workers) Context.Watch(worker);
                    Context.Parent.Tell(new WorkersAdded(change.Workers));
                    break;
                case WorkerChangeKind.Unreachable:
                    Context.Parent.Tell(new WorkersUnreachable(change.Workers, change.Reason));
                    break;
                case WorkerChangeKind.Lost:
                    _log.Warning("{0}: the chunks its {1} worker(s) held run elsewhere", change.Reason, change.Workers.Count);
                    Unwatch(change.Workers);
                    Context.Parent.Tell(new WorkersLost(change.Workers, change.Reason, []));
                    break;
                case WorkerChangeKind.Leaving:
                    _log.Info("{0}: the chunks its {1} worker(s) held go back to the queue", change.Reason, change.Workers.Count);
                    Unwatch(change.Workers);
                    Context.Parent.Tell(new WorkersLeaving(change.Workers, change.Reason));
                    break;
            }
        }
        if (_members.Count > 0) Timers.Cancel(WaitTimer);
        else if (changes.Count > 0 && !Timers.IsTimerActive(WaitTimer)) Timers.StartSingleTimer(WaitTimer, NoWorkersYet.Instance, _settings.WaitForWorkers);
        CountHosts();
    }

    private void Unwatch(IEnumerable<IActorRef> workers)
    {
        foreach (var worker in workers) Context.Unwatch(worker);
    }

    private void CountHosts()
    {
        if (_members.Nodes == _hosts) return;
        _hosts = _members.Nodes;
        Context.Parent.Tell(new HostsCounted(_hosts));
    }
}

/// <summary>A pool's cluster membership: its props, and the workers to size a first map for before any has been deployed.</summary>
internal sealed record ClusterMembership(Props Props, int ExpectedWorkers);
