using Actors.Protocol;
using Akka.Actor;
using Akka.Routing;

namespace Actors.Threads;

/// <summary>
/// Local mode's membership: the configured router pool creates and supervises the workers on this
/// process's threads; this actor tells the manager which routees there are, and plays the
/// router's resizer (the manager sends chunks to routees directly, so the router never sees the
/// traffic its own resizer would count).
/// </summary>
internal sealed class LocalWorkers : ReceiveActor, IWithTimers
{
    private sealed class Poll : INoSerializationVerificationNeeded
    {
        public static readonly Poll Instance = new();
    }

    private const string PollTimer = "poll";

    private readonly RouterRoutees _routees;
    private readonly Resizer? _resizer;
    private readonly TimeSpan _pollInterval;
    private long _polls;
    private bool _reported;

    public LocalWorkers(Akka.Routing.Pool router, WorkerSpec worker, TimeSpan pollInterval, TimeSpan askTimeout)
    {
        _resizer = router.Resizer;
        _pollInterval = pollInterval;
        var supervised = (Akka.Routing.Pool)router.WithFallback(FromConfig.Instance.WithSupervisorStrategy(worker.Strategy));
        _routees = new RouterRoutees(Context, supervised, worker.Props, askTimeout);

        Receive<Poll>(_ => _routees.Query(Self));
        Receive<RouteesListed>(HandleListed);
        Receive<Terminated>(terminated =>
        {
            if (!terminated.ActorRef.Equals(_routees.Router)) return;
            var lost = _routees.Restart();
            if (lost.Count > 0) Context.Parent.Tell(new WorkersLeaving(lost, "the pool's router stopped with no routees left"));
            _routees.Query(Self);
        });
        Receive<RetireWorker>(retire =>
        {
            if (!_routees.Known.Contains(retire.Worker)) return;
            // A thread cannot be stopped: the router drops the worker (it stops once its job returns)
            // and creates another, so the pool keeps its size meanwhile.
            Context.Parent.Tell(new WorkersLeaving([retire.Worker], retire.Reason));
            _routees.Router.Tell(new RemoveRoutee(Routee.FromActorRef(retire.Worker)));
            _routees.Router.Tell(new AdjustPoolSize(1));
            _routees.Query(Self);
        });
        Receive<StopWorkers>(_ => Sender.Tell(WorkersStopped.Instance)); // threads need no orderly stop
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Akka.Routing.Pool router, WorkerSpec worker, TimeSpan pollInterval, TimeSpan askTimeout) =>
        Akka.Actor.Props.Create(() => new LocalWorkers(router, worker, pollInterval, askTimeout));

    protected override void PreStart()
    {
        _routees.Start();
        _routees.Query(Self);
        Timers.StartPeriodicTimer(PollTimer, Poll.Instance, _pollInterval);
    }

    private void HandleListed(RouteesListed listed)
    {
        if (_routees.Update(listed) is not var (added, gone)) return;
        if (gone.Count > 0) Context.Parent.Tell(new WorkersLeaving(gone, "a routee of the local pool stopped"));
        // The first listing is reported even when empty: the manager waits for every membership's first word.
        if (added.Count > 0 || !_reported) Context.Parent.Tell(new WorkersAdded(added));
        _reported = true;
        Resize(listed.Routees!);
    }

    /// <summary>Asks the router's resizer, with the routees' mailboxes as they are now, whether to grow or shrink.</summary>
    private void Resize(IReadOnlyList<IActorRef> routees)
    {
        if (_resizer is null || !_resizer.IsTimeForResize(_polls++)) return;
        var change = _resizer.Resize(routees.Select(Routee.FromActorRef));
        if (change == 0) return;
        if (change < 0)
        {
            // The router drops its last routees: the manager stops sending them chunks first.
            Context.Parent.Tell(new WorkersLeaving(routees.Skip(routees.Count + change).ToArray(), "the resizer shrank the pool"));
        }
        _routees.Router.Tell(new AdjustPoolSize(change));
    }
}
