using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Routing;

namespace Actors.Pool;

/// <summary>
/// The seed's "pool manager": owns the task table (chunk id → inputs, attempts, where it runs),
/// dispatches chunks through the router within a bound, de-duplicates results by chunk id,
/// retries failures, and reports every input's outcome to the job's caller exactly once.
/// </summary>
internal sealed class PoolManager : ReceiveActor, IWithTimers
{
    private sealed class ChunkTask(long id, long jobId, long firstIndex, Array inputs, int failures)
    {
        public long Id { get; } = id;
        public long JobId { get; } = jobId;
        public long FirstIndex { get; } = firstIndex;
        public Array Inputs { get; } = inputs;
        /// <summary>Tries of these inputs that have failed so far.</summary>
        public int Failures { get; } = failures;
        public bool InFlight { get; set; }
        public long DeadlineTicks { get; set; }
        /// <summary>The worker that acknowledged the chunk, where acknowledgements are asked for.</summary>
        public IActorRef? RunningOn { get; set; }
        /// <summary>When the acknowledgement came, among all of them: a worker runs its chunks in that order.</summary>
        public long StartedOrder { get; set; }
    }

    private sealed class Tick : INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }

    /// <summary>The router's routee count in answer to query <paramref name="Query"/>; null when it did not answer.</summary>
    private sealed record RouteesAnswered(long Query, int? Count) : INoSerializationVerificationNeeded;

    private static readonly TimeSpan RouteeQueryTimeout = TimeSpan.FromSeconds(10);

    private readonly PoolSettings _settings;
    private readonly Akka.Routing.Pool _routerConfig;
    private readonly Func<IActorRef, Props>? _workerProcesses;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<long, StartJob> _jobs = new();
    private readonly Dictionary<long, ChunkTask> _tasks = new();
    private readonly LinkedList<ChunkTask> _queue = new();
    private IActorRef _router = ActorRefs.Nobody;
    private int _routees;
    private int _inFlight;
    private long _nextChunkId;
    private long _retries;
    // Workers in other processes, added to the router by hand (a remote-deployed pool never redeploys).
    private readonly HashSet<IActorRef> _remoteWorkers = new();
    private IActorRef _processes = ActorRefs.Nobody;
    private int _processCount;
    // Routee queries sent, and the latest one answered, to know when the router has applied a RemoveRoutee.
    private long _routeeQueries;
    private long _routeeAnswers;
    // After a worker is lost, dispatch pauses until the router has dropped it and every surviving
    // remote worker has answered a Flush: a chunk still unacknowledged then was in the lost
    // worker's mailbox (or routed to it after it died), and goes back to the queue uncharged.
    private Recovery? _recovery;
    private long _recoveryEpochs;
    private long _acknowledgements;
    private readonly Dictionary<IActorRef, string> _lostWorkers = new();

    private sealed class Recovery(long epoch, long routeeQuery, HashSet<IActorRef> awaitingFlush)
    {
        public long Epoch { get; } = epoch;
        public long RouteeQuery { get; } = routeeQuery;
        public bool RouterConfirmed { get; set; }
        public HashSet<IActorRef> AwaitingFlush { get; } = awaitingFlush;
    }

    private sealed record RecoveryTimedOut(long Epoch) : INoSerializationVerificationNeeded;

    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(5);

    /// <param name="settings">The pool section.</param>
    /// <param name="routerConfig">The router from HOCON or code.</param>
    /// <param name="workerProcesses">In processes mode, the props of the child that runs the
    /// worker processes, given the manager; null in local mode.</param>
    public PoolManager(PoolSettings settings, Akka.Routing.Pool routerConfig, Func<IActorRef, Props>? workerProcesses)
    {
        _settings = settings;
        _routerConfig = routerConfig;
        _workerProcesses = workerProcesses;

        Receive<StartJob>(job => _jobs[job.JobId] = job);
        Receive<SubmitChunk>(HandleSubmit);
        Receive<EndJob>(HandleEndJob);
        Receive<ChunkStarted>(HandleStarted);
        Receive<ChunkCompleted>(HandleCompleted);
        Receive<ChunkFailed>(HandleFailed);
        Receive<RouteesAnswered>(HandleRoutees);
        Receive<WorkersAdded>(HandleWorkersAdded);
        Receive<WorkerProcessCount>(count => _processCount = count.Processes);
        Receive<Tick>(_ => HandleTick());
        Receive<GetPoolStatus>(_ => Sender.Tell(Status()));
        Receive<WorkerLost>(HandleWorkerLost);
        Receive<NoWorkersLeft>(HandleNoWorkersLeft);
        Receive<Flushed>(flushed => { if (_recovery?.Epoch == flushed.Epoch) _recovery.AwaitingFlush.Remove(Sender); TryEndRecovery(); });
        Receive<RecoveryTimedOut>(timedOut => { if (_recovery?.Epoch == timedOut.Epoch) EndRecovery(); });
        Receive<Terminated>(HandleTerminated);
        Receive<Processes.StopProcesses>(stop =>
        {
            if (_processes.IsNobody()) Sender.Tell(Processes.StopProcesses.Done.Instance);
            else _processes.Forward(stop);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PoolSettings settings, Akka.Routing.Pool routerConfig, Func<IActorRef, Props>? workerProcesses = null) =>
        Akka.Actor.Props.Create(() => new PoolManager(settings, routerConfig, workerProcesses));

    protected override void PreStart()
    {
        _router = CreateRouter();
        _routees = _workerProcesses is null ? _routerConfig.GetNrOfInstances(Context.System) : 0;
        Timers.StartPeriodicTimer("tick", Tick.Instance, _settings.TickInterval);
        if (_workerProcesses is not null) _processes = Context.ActorOf(_workerProcesses(Self), "processes");
    }

    protected override SupervisorStrategy SupervisorStrategy() => Worker.Strategy();

    private IActorRef CreateRouter()
    {
        // Local mode: the configured pool creates its routees. Processes mode: the same kind of
        // router starts empty and is given the workers deployed into each worker process.
        var pool = _workerProcesses is null ? _routerConfig : EmptyLike(_routerConfig);
        var router = Context.ActorOf(Worker.Props().WithRouter(pool), "workers");
        Context.Watch(router);
        return router;
    }

    private static Akka.Routing.Pool EmptyLike(Akka.Routing.Pool pool) => pool switch
    {
        SmallestMailboxPool => new SmallestMailboxPool(0),
        RandomPool => new RandomPool(0),
        _ => new RoundRobinPool(0),
    };

    private int MaxInFlight => Math.Max(1, _routees) * _settings.ChunksPerWorker;

    private void HandleSubmit(SubmitChunk submit)
    {
        if (!_jobs.ContainsKey(submit.JobId)) return; // the caller has already ended this job
        var task = NewTask(submit.JobId, submit.FirstIndex, submit.Inputs, failures: 0);
        _queue.AddLast(task);
        Dispatch();
    }

    private void HandleEndJob(EndJob end)
    {
        if (!_jobs.Remove(end.JobId)) return;
        // Its queued chunks are dropped now, not when a worker frees up: a cancelled map's
        // chunks would otherwise count as queued for as long as the workers stay busy.
        for (var node = _queue.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.JobId == end.JobId)
            {
                if (!node.Value.InFlight) _tasks.Remove(node.Value.Id);
                _queue.Remove(node);
            }
            node = next;
        }
    }

    private ChunkTask NewTask(long jobId, long firstIndex, Array inputs, int failures)
    {
        var task = new ChunkTask(++_nextChunkId, jobId, firstIndex, inputs, failures);
        _tasks[task.Id] = task;
        return task;
    }

    private void Dispatch()
    {
        if (_recovery is not null) return;
        var acknowledge = _workerProcesses is not null;
        while (_inFlight < MaxInFlight && _queue.First is { } node && _routees > 0)
        {
            var task = node.Value;
            _queue.RemoveFirst();
            if (!_tasks.ContainsKey(task.Id) || task.InFlight) continue; // finished by an earlier copy
            if (!_jobs.TryGetValue(task.JobId, out var job))
            {
                _tasks.Remove(task.Id);
                continue;
            }
            task.InFlight = true;
            task.RunningOn = null;
            task.DeadlineTicks = job.TaskTimeout is { } timeout
                ? Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency * task.Inputs.Length)
                : long.MaxValue;
            _inFlight++;
            _router.Tell(new RunChunk(task.Id, job.JobType, task.Inputs, acknowledge));
        }
    }

    /// <summary>Takes a task out of the table; false when it was finished already (a duplicate).</summary>
    private bool TryFinish(long chunkId, out ChunkTask task)
    {
        if (!_tasks.Remove(chunkId, out task!)) return false;
        if (task.InFlight) _inFlight--;
        task.InFlight = false;
        return true;
    }

    private void HandleStarted(ChunkStarted started)
    {
        // An acknowledgement from a worker already known dead is ignored: its chunk counts as
        // unacknowledged and goes back to the queue when the recovery ends.
        if (!_tasks.TryGetValue(started.ChunkId, out var task) || !task.InFlight || _lostWorkers.ContainsKey(Sender)) return;
        task.RunningOn = Sender;
        task.StartedOrder = ++_acknowledgements;
    }

    /// <summary>A chunk that was running in a worker that died is charged one try, input by input.</summary>
    private void ChargeLostRun(ChunkTask task, string reason) =>
        ChargeEachInput(task, "WorkerProcessExited", index => $"{reason} while running input #{index}");

    /// <summary>Takes a chunk out of flight and charges each of its inputs one try, since which one
    /// is to blame is unknown: each is tried again alone, or reported when its tries are spent.</summary>
    private void ChargeEachInput(ChunkTask task, string errorType, Func<long, string> message)
    {
        TryFinish(task.Id, out _);
        if (!_jobs.TryGetValue(task.JobId, out var job)) return;
        for (var offset = task.Inputs.Length - 1; offset >= 0; offset--)
            RetryOrReport(job, task, offset, errorType, message(task.FirstIndex + offset), retryable: true);
    }

    private void HandleCompleted(ChunkCompleted completed)
    {
        if (TryFinish(completed.ChunkId, out var task) && _jobs.TryGetValue(task.JobId, out var job))
            job.ReplyTo.Tell(new ResultsReady(task.JobId, task.FirstIndex, completed.Outputs, completed.Pid));
        Dispatch();
    }

    private void HandleFailed(ChunkFailed failed)
    {
        if (TryFinish(failed.ChunkId, out var task) && _jobs.TryGetValue(task.JobId, out var job))
        {
            if (failed.CompletedOutputs.Length > 0)
                job.ReplyTo.Tell(new ResultsReady(task.JobId, task.FirstIndex, failed.CompletedOutputs, failed.Pid));
            var rest = failed.FailedOffset + 1;
            if (rest < task.Inputs.Length)
                _queue.AddFirst(NewTask(task.JobId, task.FirstIndex + rest, Slice(task.Inputs, rest, task.Inputs.Length - rest), task.Failures));
            RetryOrReport(job, task, failed.FailedOffset, failed.ErrorType, failed.ErrorMessage, failed.Retryable);
        }
        Dispatch();
    }

    /// <summary>Charges one failed try to input <paramref name="offset"/> of <paramref name="task"/>:
    /// queues it alone for another try, or reports it to the caller when its tries are spent.</summary>
    private void RetryOrReport(StartJob job, ChunkTask task, int offset, string errorType, string message, bool retryable)
    {
        var failures = task.Failures + 1;
        if (retryable && failures < job.MaxAttempts)
        {
            _retries++;
            _queue.AddFirst(NewTask(task.JobId, task.FirstIndex + offset, Slice(task.Inputs, offset, 1), failures));
            return;
        }
        var input = task.Inputs.GetValue(offset);
        job.ReplyTo.Tell(new InputFailed(task.JobId, task.FirstIndex + offset, Describe(input), errorType, message, failures));
    }

    private void HandleTick()
    {
        QueryRoutees();
        if (_inFlight == 0) return;
        var now = Stopwatch.GetTimestamp();
        var expired = _tasks.Values.Where(task => task.InFlight && task.DeadlineTicks < now).ToList();
        foreach (var task in expired)
        {
            var timeout = _jobs.GetValueOrDefault(task.JobId)?.TaskTimeout;
            ChargeEachInput(task, typeof(TimeoutException).FullName!, _ => $"no result within the per-task timeout of {timeout}");
        }
        Dispatch();
    }

    private void QueryRoutees()
    {
        var query = ++_routeeQueries;
        // Asked, not told: Akka's Routees reply cannot pass serialize-messages verification (it
        // never leaves this process), so a reply told to the manager would be dropped there.
        _router.Ask<Routees>(GetRoutees.Instance, RouteeQueryTimeout).PipeTo(Self,
            success: routees => new RouteesAnswered(query, routees.Members.Count()),
            failure: _ => new RouteesAnswered(query, null));
    }

    private void HandleRoutees(RouteesAnswered answer)
    {
        // Piped answers may overtake each other; one to a router since replaced is stale too.
        if (answer.Count is not { } count || answer.Query <= _routeeAnswers) return;
        _routeeAnswers = answer.Query;
        if (_recovery is { } recovery && answer.Query >= recovery.RouteeQuery) recovery.RouterConfirmed = true;
        _routees = count;
        TryEndRecovery();
        Dispatch();
    }

    private void HandleWorkersAdded(WorkersAdded added)
    {
        foreach (var worker in added.Workers)
        {
            _remoteWorkers.Add(worker);
            _router.Tell(new AddRoutee(Routee.FromActorRef(worker)));
        }
        QueryRoutees();
    }

    private void RequeueUnacknowledged()
    {
        foreach (var task in _tasks.Values.Where(task => task.InFlight && task.RunningOn is null).ToList())
        {
            // Stays in the task table under its id: a copy that does finish after all still counts, once.
            task.InFlight = false;
            _inFlight--;
            _queue.AddFirst(task);
            _retries++;
        }
    }

    private void HandleWorkerLost(WorkerLost lost)
    {
        foreach (var worker in lost.Workers)
        {
            _lostWorkers[worker] = lost.Reason;
            if (_remoteWorkers.Remove(worker)) _router.Tell(new RemoveRoutee(Routee.FromActorRef(worker)));
        }
        if (_remoteWorkers.Count == 0) _routees = 0;

        // The chunk that was running when the worker died is charged a try: the one its process
        // named as it started it, else (a node this pool did not start) the earliest it
        // acknowledged, as a worker runs its chunks in order. Others it held go back uncharged.
        var held = _tasks.Values.Where(task => task.InFlight && task.RunningOn is not null && lost.Workers.Contains(task.RunningOn))
            .OrderBy(task => task.StartedOrder).ToList();
        var running = lost.RunningChunk is { } named
            ? _tasks.GetValueOrDefault(named) is { InFlight: true } namedTask ? namedTask : null
            : held.FirstOrDefault();
        if (running is not null) ChargeLostRun(running, lost.Reason);
        foreach (var task in held.Where(task => task != running))
        {
            task.RunningOn = null; // back with the unacknowledged, sent again when the recovery ends
        }
        _log.Info("{0}: chunk {1} charged a try; the rest of its work goes back to the queue", lost.Reason, running?.Id.ToString() ?? "none");

        QueryRoutees();
        var survivors = new HashSet<IActorRef>(_remoteWorkers);
        _recovery = new Recovery(++_recoveryEpochs, _routeeQueries, survivors);
        foreach (var worker in survivors) worker.Tell(new Flush(_recovery.Epoch));
        Timers.StartSingleTimer("recovery", new RecoveryTimedOut(_recovery.Epoch), RecoveryTimeout);
    }

    /// <summary>No worker will come back: every input still waiting is reported failed, so no caller waits forever.</summary>
    private void HandleNoWorkersLeft(NoWorkersLeft none)
    {
        foreach (var task in _tasks.Values.ToList())
        {
            TryFinish(task.Id, out _);
            if (!_jobs.TryGetValue(task.JobId, out var job)) continue;
            for (var offset = 0; offset < task.Inputs.Length; offset++)
                job.ReplyTo.Tell(new InputFailed(task.JobId, task.FirstIndex + offset, Describe(task.Inputs.GetValue(offset)), nameof(NoWorkersLeft), none.Reason, task.Failures));
        }
        _queue.Clear();
    }

    private void TryEndRecovery()
    {
        if (_recovery is { RouterConfirmed: true, AwaitingFlush.Count: 0 }) EndRecovery();
    }

    private void EndRecovery()
    {
        _recovery = null;
        Timers.Cancel("recovery");
        RequeueUnacknowledged();
        Dispatch();
    }

    private void HandleTerminated(Terminated terminated)
    {
        if (!terminated.ActorRef.Equals(_router)) return;
        // A pool router stops itself once its last routee is gone (every worker process died at
        // once). Chunks sent to it meanwhile went nowhere: unacknowledged, they go back to the
        // queue, and a new, empty router takes its place for the workers still alive or to come.
        _log.Info("router {0} stopped with no routees left; starting a new one", _router.Path);
        _router = CreateRouter();
        _routeeAnswers = _routeeQueries; // queries to the old router will not be answered
        foreach (var worker in _remoteWorkers) _router.Tell(new AddRoutee(Routee.FromActorRef(worker)));
        _routees = 0;
        if (_recovery is not null) _recovery.RouterConfirmed = true;
        if (_remoteWorkers.Count == 0) EndRecovery();
        else
        {
            TryEndRecovery();
            QueryRoutees();
        }
    }

    private PoolStatus Status() => new(
        _routees, _inFlight, MaxInFlight, _queue.Count(task => _tasks.ContainsKey(task.Id) && !task.InFlight),
        _jobs.Count, _retries, _processCount, _recovery is not null);

    private static Array Slice(Array source, int start, int length)
    {
        var slice = Array.CreateInstance(source.GetType().GetElementType()!, length);
        Array.Copy(source, start, slice, 0, length);
        return slice;
    }

    private static string Describe(object? input) => input switch
    {
        null => "null",
        string text => $"\"{text}\"",
        _ => input.ToString() ?? input.GetType().Name,
    };
}

/// <summary>Tells the manager that these workers are gone with whatever they were running.</summary>
/// <param name="Workers">The workers that are gone.</param>
/// <param name="Reason">Why, in words for the caller ("worker process 123 exited with code 134").</param>
/// <param name="RunningChunk">The chunk its process said it was running when it died, when known.</param>
internal sealed record WorkerLost(IReadOnlyCollection<IActorRef> Workers, string Reason, long? RunningChunk = null) : IPoolMessage;

/// <summary>Tells the manager that no worker is left and none will be started.</summary>
internal sealed record NoWorkersLeft(string Reason) : INoSerializationVerificationNeeded;

/// <summary>Tells the manager of workers deployed into a worker process, to be added to the router.</summary>
internal sealed record WorkersAdded(IReadOnlyList<IActorRef> Workers) : IPoolMessage;

/// <summary>Tells the manager how many worker processes are running now.</summary>
internal sealed record WorkerProcessCount(int Processes) : IPoolMessage;
