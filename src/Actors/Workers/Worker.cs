using Actors.Jobs;
using Actors.Protocol;
using Actors.Serialization;
using Akka.Actor;
using Akka.Event;

namespace Actors.Workers;

/// <summary>
/// A routee of a pool: runs one chunk at a time, in the order they arrive, and answers each one. A
/// chunk runs off the mailbox (an async job's continuation comes back as a message), so that a
/// cancellation reaches it; what arrives meanwhile waits in the stash, in order. A job that throws
/// crashes this worker after it has told the manager which input failed; its supervisor restarts
/// it, and the manager decides whether to retry.
/// </summary>
internal sealed class Worker : ReceiveActor, IWithUnboundedStash
{
    /// <summary>A chunk's job has finished, with its outputs or how it failed.</summary>
    private sealed record ChunkRan(long ChunkId, Array? Outputs, Exception? Failure) : INoSerializationVerificationNeeded;

    private static readonly int Pid = Environment.ProcessId;

    private readonly Dictionary<string, JobRunner> _runners = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly WorkerHostOutput _host = WorkerHostOutput.For(Context.System);
    private readonly AllowedJobs _allowed = AllowedJobs.For(Context.System);
    private readonly WireLimits _wire = WireLimits.For(Context.System);
    private readonly WorkerActivity _activity = WorkerActivity.For(Context.System);
    /// <summary>Chunks cancelled before they started: answered without running when their turn comes.</summary>
    private readonly HashSet<long> _cancelled = new();
    private long? _failedChunk;
    private int _runningInputs;

    public Worker() => Idle();

    public IStash Stash { get; set; } = null!;

    public static Props Props() => Akka.Actor.Props.Create(() => new Worker());

    /// <summary>What a membership child needs to create workers.</summary>
    public static WorkerSpec Spec() => new(Props(), Strategy());

    private void Idle()
    {
        Receive<RunChunk>(Start);
        Receive<Probe>(probe => Sender.Tell(new Probed(probe.Id)));
        Receive<CancelChunk>(cancel => _cancelled.Add(cancel.ChunkId));
    }

    private void Running(long chunkId, IActorRef manager, CancellationTokenSource cancel)
    {
        Receive<ChunkRan>(ran => ran.ChunkId == chunkId, ran =>
        {
            cancel.Dispose();
            Become(Idle);
            Stash.UnstashAll();
            Finish(chunkId, manager, ran.Outputs, ran.Failure);
        });
        Receive<CancelChunk>(stop =>
        {
            if (stop.ChunkId == chunkId) cancel.Cancel();
            else _cancelled.Add(stop.ChunkId);
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void Start(RunChunk run)
    {
        var manager = Sender;
        if (_cancelled.Remove(run.ChunkId))
        {
            manager.Tell(Cancelled(run.ChunkId, "cancelled before it started"));
            return;
        }
        _host.AnnounceStarted(run.ChunkId);
        _activity.ChunkStarted();
        _runningInputs = run.Inputs.Count;
        JobRunner runner;
        try
        {
            runner = RunnerFor(run.JobType);
        }
        catch (UnknownJobException e)
        {
            // Not the worker's fault and not worth a restart: every try would fail the same way.
            _activity.ChunkFailed();
            manager.Tell(new ChunkFailed(run.ChunkId, 0, Array.Empty<object>(), JobError.From(e), Retryable: false, Pid));
            return;
        }

        var cancel = new CancellationTokenSource();
        ValueTask<Array?> running;
        try
        {
            running = runner.RunAsync(run.Inputs, run.Destination, cancel.Token); // a synchronous job runs here and now
        }
        catch (JobInputException e)
        {
            cancel.Dispose();
            Finish(run.ChunkId, manager, null, e);
            return;
        }
        if (running.IsCompletedSuccessfully)
        {
            cancel.Dispose();
            Finish(run.ChunkId, manager, running.Result, null);
            return;
        }
        var chunkId = run.ChunkId;
        running.AsTask().PipeTo(Self, success: outputs => new ChunkRan(chunkId, outputs, null), failure: e => new ChunkRan(chunkId, null, e));
        Become(() => Running(chunkId, manager, cancel));
    }

    private void Finish(long chunkId, IActorRef manager, Array? outputs, Exception? failure)
    {
        if (failure is null) _activity.ChunkDone(_runningInputs);
        else _activity.ChunkFailed();
        if (failure is null)
        {
            Answer(manager, chunkId, outputs, () => new ChunkCompleted(chunkId, outputs, Pid));
            return;
        }
        if (failure is not JobInputException { InnerException: { } cause } input)
        {
            manager.Tell(new ChunkFailed(chunkId, 0, Array.Empty<object>(), JobError.From(failure), Retryable: true, Pid));
            return;
        }
        if (cause is OperationCanceledException)
        {
            manager.Tell(Cancelled(chunkId, "cancelled while it ran"));
            return;
        }
        Answer(manager, chunkId, input.Completed,
            () => new ChunkFailed(chunkId, input.Index, input.Completed, JobError.From(cause), Retryable: true, Pid));
        _failedChunk = chunkId;
        throw input; // the supervisor restarts this worker; its stash goes back to the mailbox first
    }

    /// <summary>Sends an answer carrying <paramref name="payload"/>, or, where it cannot cross the wire to the manager, says why.</summary>
    private void Answer(IActorRef manager, long chunkId, Array? payload, Func<object> answer)
    {
        if (payload is not null && manager.Path.Address.HasGlobalScope && _wire.Check(payload) is { } problem)
        {
            manager.Tell(new ChunkRefused(chunkId, problem, Pid));
            return;
        }
        manager.Tell(answer());
    }

    private static ChunkFailed Cancelled(long chunkId, string how) =>
        new(chunkId, 0, Array.Empty<object>(), JobError.Of(typeof(OperationCanceledException).FullName!, $"chunk {chunkId} {how}"), Retryable: false, Pid);

    private JobRunner RunnerFor(string jobType)
    {
        if (_runners.TryGetValue(jobType, out var runner)) return runner;
        if (!_allowed.Permits(jobType))
            throw new UnknownJobException($"job type '{jobType}' may not run on this worker host: it is not in an assembly its pool told it to load");
        runner = JobRunner.Create(jobType);
        _runners[jobType] = runner;
        return runner;
    }

    protected override void PreStart() => _activity.WorkerStarted();

    protected override void PostStop() => _activity.WorkerStopped();

    protected override void PostRestart(Exception reason)
    {
        _activity.WorkerRestarted();
        base.PostRestart(reason);
    }

    protected override void PreRestart(Exception reason, object message)
    {
        var cause = reason is JobInputException { InnerException: { } inner } ? inner : reason;
        _log.Warning("worker {0} restarting after chunk {1} failed: {2}: {3}",
            Self.Path.Name, _failedChunk?.ToString() ?? "?", cause.GetType().Name, cause.Message);
        base.PreRestart(reason, message);
    }

    /// <summary>The strategy a worker's supervisor applies: restart only the one that failed.</summary>
    public static SupervisorStrategy Strategy() => new OneForOneStrategy(
        localOnlyDecider: exception => exception switch
        {
            ActorInitializationException => Directive.Stop,
            OutOfMemoryException => Directive.Escalate,
            _ => Directive.Restart,
        },
        loggingEnabled: false); // the worker logs one readable line itself, in PreRestart
}
