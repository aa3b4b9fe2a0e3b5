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
    }

    private sealed class Tick : INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }

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
    // Routee queries sent and answered, to know when the router has applied a RemoveRoutee.
    private long _routeeQueries;
    private long _routeeAnswers;
    private long _requeueUnackedAtAnswer = long.MaxValue;

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
        Receive<EndJob>(end => _jobs.Remove(end.JobId));
        Receive<ChunkStarted>(HandleStarted);
        Receive<ChunkCompleted>(HandleCompleted);
        Receive<ChunkFailed>(HandleFailed);
        Receive<Routees>(HandleRoutees);
        Receive<WorkersAdded>(HandleWorkersAdded);
        Receive<WorkerProcessCount>(count => _processCount = count.Processes);
        Receive<Tick>(_ => HandleTick());
        Receive<GetPoolStatus>(_ => Sender.Tell(Status()));
        Receive<WorkerLost>(HandleWorkerLost);
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

    private ChunkTask NewTask(long jobId, long firstIndex, Array inputs, int failures)
    {
        var task = new ChunkTask(++_nextChunkId, jobId, firstIndex, inputs, failures);
        _tasks[task.Id] = task;
        return task;
    }

    private void Dispatch()
    {
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
        if (_tasks.TryGetValue(started.ChunkId, out var task) && task.InFlight) task.RunningOn = Sender;
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
            TryFinish(task.Id, out _);
            if (!_jobs.TryGetValue(task.JobId, out var job)) continue;
            // Which input of the chunk is slow is unknown: each one is charged and tried alone.
            var message = $"no result within the per-task timeout of {job.TaskTimeout}";
            for (var offset = task.Inputs.Length - 1; offset >= 0; offset--)
                RetryOrReport(job, task, offset, typeof(TimeoutException).FullName!, message, retryable: true);
        }
        Dispatch();
    }

    private void QueryRoutees()
    {
        _routeeQueries++;
        _router.Tell(GetRoutees.Instance);
    }

    private void HandleRoutees(Routees routees)
    {
        _routeeAnswers++;
        if (_routeeAnswers >= _requeueUnackedAtAnswer)
        {
            // The router no longer holds the lost workers: chunks it routed to them after they died
            // were never acknowledged, and go back now.
            _requeueUnackedAtAnswer = long.MaxValue;
            RequeueUnacknowledged();
        }
        SetRouteeCount(routees.Members.Count());
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
            TryFinish(task.Id, out _);
            _tasks[task.Id] = task;
            _queue.AddFirst(task);
            _retries++;
        }
        Dispatch();
    }

    private void HandleWorkerLost(WorkerLost lost)
    {
        foreach (var worker in lost.Workers)
        {
            if (_remoteWorkers.Remove(worker)) _router.Tell(new RemoveRoutee(Routee.FromActorRef(worker)));
        }
        QueryRoutees();
        _requeueUnackedAtAnswer = _routeeQueries;

        // The chunk the lost worker had started is the one that was running when it died: it is
        // charged a try. Chunks not yet acknowledged may have been queued in its mailbox: they go
        // back uncharged (a surviving copy may finish first; results are kept once, by chunk id).
        var affected = _tasks.Values.Where(task => task.InFlight && (task.RunningOn is null || lost.Workers.Contains(task.RunningOn))).ToList();
        foreach (var task in affected)
        {
            var wasRunning = task.RunningOn is not null;
            TryFinish(task.Id, out _);
            if (!_jobs.TryGetValue(task.JobId, out var job)) continue;
            _retries++;
            if (!wasRunning)
            {
                _tasks[task.Id] = task;
                _queue.AddFirst(task);
                continue;
            }
            for (var offset = task.Inputs.Length - 1; offset >= 0; offset--)
                RetryOrReport(job, task, offset, "WorkerProcessExited", $"{lost.Reason} while running input #{task.FirstIndex + offset}", retryable: true);
        }
        if (affected.Count > 0) _log.Info("{0}: {1} chunk(s) sent again", lost.Reason, affected.Count);
        Dispatch();
    }

    private void HandleTerminated(Terminated terminated)
    {
        if (terminated.ActorRef.Equals(_router))
        {
            // A pool router stops itself once its last routee is gone (every worker process died at
            // once); a new, empty one takes its place and placement fills it again.
            _log.Info("router {0} stopped with no routees left; starting a new one", _router.Path);
            _router = CreateRouter();
            foreach (var worker in _remoteWorkers) _router.Tell(new AddRoutee(Routee.FromActorRef(worker)));
            QueryRoutees();
        }
    }

    private void SetRouteeCount(int count)
    {
        _routees = count;
        Dispatch();
    }

    private PoolStatus Status() => new(
        _routees, _inFlight, MaxInFlight, _queue.Count(task => _tasks.ContainsKey(task.Id) && !task.InFlight),
        _jobs.Count, _retries, _processCount);

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
internal sealed record WorkerLost(IReadOnlyCollection<IActorRef> Workers, string Reason);

/// <summary>Tells the manager of workers deployed into a worker process, to be added to the router.</summary>
internal sealed record WorkersAdded(IReadOnlyList<IActorRef> Workers);

/// <summary>Tells the manager how many worker processes are running now.</summary>
internal sealed record WorkerProcessCount(int Processes);
