using Actors.Processes;
using Actors.Protocol;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace Actors.Cluster;

/// <summary>
/// Cluster mode's membership: finds the worker host that every member with the worker role runs at
/// <see cref="WorkerHostArguments.WorkersPath"/>, asks it for its workers, and tells the manager which
/// workers there are and what became of them, as <see cref="MemberHosts{TWorker,TNode}"/> decides
/// from the cluster's member and reachability events. Nothing is deployed into a member: members run
/// Akka's untrusted mode, and the pool did not start them, so it never stops them.
/// </summary>
internal sealed class ClusterWorkers : ReceiveActor, IWithTimers
{
    private sealed record HostAnswered(Address Member, WorkersListed? Listed, string? Error) : INoSerializationVerificationNeeded;

    private sealed record AskHost(Address Member) : INoSerializationVerificationNeeded;

    private sealed class NoWorkersYet : INoSerializationVerificationNeeded
    {
        public static readonly NoWorkersYet Instance = new();
    }

    private const string WaitTimer = "wait-for-workers";

    private readonly ClusterModeSettings _settings;
    private readonly string _role;
    private readonly int? _perMember;
    private readonly TimeSpan _askTimeout;
    private readonly TimeSpan _retryBackoff;
    private readonly MemberHosts<IActorRef, Address> _hosts = new();
    /// <summary>Failed askings of each member's host in a row.</summary>
    private readonly Dictionary<Address, int> _failures = new();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _hostCount = -1;

    /// <param name="settings">The <c>actors.cluster</c> section.</param>
    /// <param name="role">The role of the members whose workers this pool uses.</param>
    /// <param name="perMember">The most workers of one member this pool uses; null for all its host has.</param>
    /// <param name="askTimeout">How long a member's host may take to list its workers.</param>
    /// <param name="retryBackoff">The first wait before a host that did not answer is asked again; it doubles up to <paramref name="askTimeout"/>.</param>
    public ClusterWorkers(ClusterModeSettings settings, string role, int? perMember, TimeSpan askTimeout, TimeSpan retryBackoff)
    {
        _settings = settings;
        _role = role;
        _perMember = perMember;
        _askTimeout = askTimeout;
        _retryBackoff = retryBackoff;

        Receive<ClusterEvent.MemberUp>(up => MemberUp(up.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(up => MemberUp(up.Member));
        Receive<ClusterEvent.UnreachableMember>(unreachable => Tell(_hosts.Unreachable(unreachable.Member.Address)));
        Receive<ClusterEvent.ReachableMember>(reachable => Tell(_hosts.Reachable(reachable.Member.Address)));
        Receive<ClusterEvent.MemberLeft>(left => Tell(_hosts.Leaving(left.Member.Address)));
        Receive<ClusterEvent.MemberExited>(exited => Tell(_hosts.Leaving(exited.Member.Address)));
        Receive<ClusterEvent.MemberDowned>(downed => Tell(_hosts.Downed(downed.Member.Address)));
        Receive<ClusterEvent.MemberRemoved>(removed =>
            Tell(_hosts.Removed(removed.Member.Address, afterExiting: removed.PreviousStatus == MemberStatus.Exiting)));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<AskHost>(ask => Ask(ask.Member));
        Receive<HostAnswered>(HandleAnswer);
        Receive<Terminated>(terminated =>
        {
            var member = terminated.ActorRef.Path.Address;
            Tell(_hosts.Terminated(terminated.ActorRef, member));
            if (_hosts.Wants(member)) Ask(member); // its host restarted, or is gone with its member (then the cluster's events say so)
        });
        Receive<NoWorkersYet>(_ =>
        {
            if (_hosts.Count > 0) return;
            var why = _cluster.SelfMember.Status is MemberStatus.Up or MemberStatus.WeaklyUp
                ? $"no worker member (role '{_role}') has listed its workers within {_settings.WaitForWorkers} (actors.cluster.wait-for-workers)"
                : $"this node did not become a cluster member with worker members within {_settings.WaitForWorkers} (actors.cluster.wait-for-workers): "
                  + $"no seed of [{string.Join(", ", _cluster.Settings.SeedNodes)}] accepted it, or fewer worker members than akka.cluster.role.{_role}.min-nr-of-members joined";
            _log.Warning("{0}; waiting inputs fail, and the pool takes work again when a worker member joins", why);
            Context.Parent.Tell(new NoWorkersLeft(why));
        });
        Receive<StopWorkers>(_ => Sender.Tell(WorkersStopped.Instance)); // the members are not this pool's to stop
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ClusterModeSettings settings, string role, int? perMember, TimeSpan askTimeout, TimeSpan retryBackoff) =>
        Akka.Actor.Props.Create(() => new ClusterWorkers(settings, role, perMember, askTimeout, retryBackoff));

    protected override void PreStart()
    {
        LocalPools.For(Context.System).Add(Context.Parent);
        CountHosts(); // the manager waits for every membership's first word
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        Timers.StartSingleTimer(WaitTimer, NoWorkersYet.Instance, _settings.WaitForWorkers);
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        LocalPools.For(Context.System).Remove(Context.Parent);
    }

    private void MemberUp(Member member)
    {
        if (member.HasRole(_role) && _hosts.MemberUp(member.Address)) Ask(member.Address);
    }

    /// <summary>Asks the member's worker host, by its well-known path, for its workers.</summary>
    private void Ask(Address member)
    {
        var host = Context.ActorSelection(new RootActorPath(member) / "user" / WorkerHostArguments.WorkersPath.Split('/')[^1]);
        host.Ask<WorkersListed>(ListWorkers.Instance, _askTimeout)
            .PipeTo(Self, success: listed => new HostAnswered(member, listed, null), failure: e => new HostAnswered(member, null, e.Message));
    }

    private void HandleAnswer(HostAnswered answer)
    {
        if (!_hosts.Wants(answer.Member)) return;
        if (answer.Listed is not { Workers.Count: > 0 } listed)
        {
            // A member that is up but whose host did not answer: it is starting, or runs no host (a
            // worker role without one); its leaving or removal ends the asking.
            var failures = _failures[answer.Member] = _failures.GetValueOrDefault(answer.Member) + 1;
            var wait = Backoff.After(failures, _retryBackoff, _askTimeout);
            _log.Warning("the worker host of member {0} did not list its workers: {1}; asking again in {2:0.#} s",
                answer.Member, answer.Error ?? "it has none", wait.TotalSeconds);
            Timers.StartSingleTimer(("ask", answer.Member), new AskHost(answer.Member), wait);
            return;
        }
        _failures.Remove(answer.Member);
        var workers = _perMember is { } most ? listed.Workers.Take(most).ToArray() : listed.Workers;
        Tell(_hosts.Listed(answer.Member, workers));
        _log.Info("member {0} (process {1}) serves the pool with {2} worker(s)", answer.Member, listed.Pid, workers.Count);
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
        if (_hosts.Count > 0) Timers.Cancel(WaitTimer);
        else if (changes.Count > 0 && !Timers.IsTimerActive(WaitTimer)) Timers.StartSingleTimer(WaitTimer, NoWorkersYet.Instance, _settings.WaitForWorkers);
        CountHosts();
    }

    private void Unwatch(IEnumerable<IActorRef> workers)
    {
        foreach (var worker in workers) Context.Unwatch(worker);
    }

    private void CountHosts()
    {
        if (_hosts.Nodes == _hostCount) return;
        _hostCount = _hosts.Nodes;
        Context.Parent.Tell(new HostsCounted(_hostCount));
    }
}
