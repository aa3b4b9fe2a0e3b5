using Actors.Jobs;
using Actors.Protocol;
using Actors.Serialization;
using Akka.Actor;
using Akka.Event;

namespace Actors.Workers;

/// <summary>
/// A routee of a pool: runs one chunk at a time, in the order they arrive (alone or several in one
/// <see cref="RunChunks"/>), and answers each one; the answers of a batch's short chunks go back
/// together (<see cref="AnswerOutbox"/>). A chunk runs off the mailbox (an async job's continuation
/// comes back as a message), so that a cancellation reaches it; what arrives meanwhile waits in the
/// stash, in order. A job that throws crashes this worker after it has told the manager which input
/// failed; its supervisor restarts it (the rest of its batch goes back to the mailbox first), and
/// the manager decides whether to retry.
/// </summary>
internal sealed partial class Worker : ReceiveActor, IWithUnboundedStash
{
    /// <summary>A chunk's job has finished, with its outputs or how it failed.</summary>
    private sealed record ChunkRan(long ChunkId, Array? Outputs, Exception? Failure) : INoSerializationVerificationNeeded;

    /// <summary>
    /// Sent to itself once its queue is done while answers are held: it comes after whatever was
    /// already in the mailbox, so the answers of every chunk that was waiting there go together.
    /// </summary>
    private sealed class FlushAnswers : INoSerializationVerificationNeeded
    {
        public static readonly FlushAnswers Instance = new();
    }

    /// <summary>Sent to itself to go on with its queue once the messages that came meanwhile (cancellations, probes) are read.</summary>
    private sealed class ContinueQueue : INoSerializationVerificationNeeded
    {
        public static readonly ContinueQueue Instance = new();
    }

    private static readonly int Pid = Environment.ProcessId;

    private readonly Dictionary<string, JobRunner> _runners = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly WorkerHostOutput _host = WorkerHostOutput.For(Context.System);
    private readonly AllowedJobs _allowed = AllowedJobs.For(Context.System);
    private readonly WireLimits _wire = WireLimits.For(Context.System);
    private readonly WorkerActivity _activity = WorkerActivity.For(Context.System);
    /// <summary>Chunks cancelled before they started: answered without running when their turn comes.</summary>
    /// <summary>Keyed by the manager that asked too: a host's workers may serve several pools, each numbering its own chunks.</summary>
    private readonly HashSet<(IActorRef Manager, long ChunkId)> _cancelled = new();
    /// <summary>Chunks (and probes) not started yet, and who sent them.</summary>
    private readonly WorkQueue _queue = new();
    /// <summary>How long the queue runs before the mailbox is read (<c>actors.pool.yield-after</c>), in stopwatch ticks.</summary>
    private readonly long _yieldTicks;
    /// <summary>A <see cref="ContinueQueue"/> is on its way through the mailbox; nothing starts before it comes.</summary>
    private bool _continuing;
    private readonly AnswerOutbox _outbox;
    /// <summary>The queued chunks came in a <see cref="RunChunks"/>: their answers may be gathered.</summary>
    private bool _gather;
    /// <summary>A <see cref="FlushAnswers"/> is on its way through the mailbox.</summary>
    private bool _flushing;
    private long? _failedChunk;
    private int _runningInputs;
    private long _startedAt;
    /// <summary>The running chunk's span, when it is traced and someone here listens.</summary>
    private System.Diagnostics.Activity? _span;

    public Worker()
    {
        _outbox = new AnswerOutbox(Self, AnswerHold(Context.System), _wire.BatchBytes);
        _yieldTicks = (long)(YieldAfter(Context.System).TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        Idle();
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props() => Akka.Actor.Props.Create(() => new Worker());

    /// <summary>What a membership child needs to create workers.</summary>
    public static WorkerSpec Spec() => new(Props(), Strategy());

    private void Idle()
    {
        // A chunk alone is answered at once (its answer may start a deadline); a batch's answers may be gathered.
        Receive<RunChunk>(run =>
        {
            _queue.Add(run, Sender);
            _gather = false;
            RunQueued();
        });
        Receive<RunChunks>(batch =>
        {
            foreach (var run in batch.Chunks) _queue.Add(run, Sender);
            _gather = true;
            RunQueued();
        });
        Receive<ContinueQueue>(_ =>
        {
            _continuing = false;
            RunQueued();
        });
        Receive<FlushAnswers>(_ =>
        {
            _flushing = false;
            _outbox.Flush();
        });
        Receive<Probe>(probe =>
        {
            // Answered once every chunk sent before it is: behind the queue, if there is one.
            if (_queue.Count > 0)
            {
                _queue.Add(probe, Sender);
                return;
            }
            _outbox.Flush();
            Sender.Tell(new Probed(probe.Id));
        });
        Receive<CancelChunk>(cancel => _cancelled.Add((Sender, cancel.ChunkId)));
    }

    private void Running(long chunkId, IActorRef manager, CancellationTokenSource cancel)
    {
        Receive<ChunkRan>(ran => ran.ChunkId == chunkId, ran =>
        {
            cancel.Dispose();
            Become(Idle);
            Stash.UnstashAll();
            Finish(chunkId, manager, ran.Outputs, ran.Failure);
            RunQueued(); // the rest of its batch, before anything that came after it
        });
        Receive<CancelChunk>(stop =>
        {
            if (stop.ChunkId == chunkId && Sender.Equals(manager)) cancel.Cancel();
            else _cancelled.Add((Sender, stop.ChunkId));
        });
        ReceiveAny(_ => Stash.Stash());
    }

    /// <summary>Starts a chunk; true when it has been answered already, false when an async job is still running it.</summary>
    private bool Start(RunChunk run, IActorRef manager)
    {
        if (_cancelled.Remove((manager, run.ChunkId)))
        {
            _outbox.Give(manager, Cancelled(run.ChunkId, "cancelled before it started"));
            return true;
        }
        _startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        _host.AnnounceStarted(run.ChunkId);
        _activity.ChunkStarted();
        _runningInputs = run.Inputs.Count;
        _span = Telemetry.WorkerSpans.Start(run, Context.System);
        JobRunner runner;
        try
        {
            runner = RunnerFor(run.JobType);
        }
        catch (UnknownJobException e)
        {
            // Not the worker's fault and not worth a restart: every try would fail the same way.
            _activity.ChunkFailed();
            Telemetry.WorkerSpans.End(ref _span, e);
            _outbox.Give(manager, new ChunkFailed(run.ChunkId, 0, Array.Empty<object>(), JobError.From(e), Retryable: false, Pid));
            return true;
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
            return true;
        }
        if (running.IsCompletedSuccessfully)
        {
            cancel.Dispose();
            Finish(run.ChunkId, manager, running.Result, null);
            return true;
        }
        _outbox.Flush(); // nothing waits for an async job
        if (_span is not null) System.Diagnostics.Activity.Current = _span.Parent; // the job's continuation keeps it; this thread serves others
        var chunkId = run.ChunkId;
        running.AsTask().PipeTo(Self, success: outputs => new ChunkRan(chunkId, outputs, null), failure: e => new ChunkRan(chunkId, null, e));
        Become(() => Running(chunkId, manager, cancel));
        return false;
    }

    private void Finish(long chunkId, IActorRef manager, Array? outputs, Exception? failure)
    {
        if (failure is null) _activity.ChunkDone(_runningInputs);
        else _activity.ChunkFailed();
        Telemetry.WorkerSpans.End(ref _span, failure);
        if (failure is null)
        {
            var runTime = System.Diagnostics.Stopwatch.GetElapsedTime(_startedAt);
            Answer(manager, chunkId, outputs, () => new ChunkCompleted(chunkId, outputs, Pid) { RunTime = runTime });
            // A long chunk is likely followed by long ones: its answer, and those held, go now.
            if (!_gather || runTime >= _outbox.Hold) _outbox.Flush();
            return;
        }
        if (failure is not JobInputException { InnerException: { } cause } input)
        {
            _outbox.Give(manager, new ChunkFailed(chunkId, 0, Array.Empty<object>(), JobError.From(failure), Retryable: true, Pid));
            return;
        }
        if (cause is OperationCanceledException)
        {
            _outbox.Give(manager, Cancelled(chunkId, "cancelled while it ran"));
            return;
        }
        Answer(manager, chunkId, input.Completed,
            () => new ChunkFailed(chunkId, input.Index, input.Completed, JobError.From(cause), Retryable: true, Pid));
        _outbox.Flush();
        _failedChunk = chunkId;
        // The rest of the batch was sent before anything in the mailbox: it goes back first.
        if (_queue.Count > 0) Stash.Prepend(_queue.Drain());
        throw input; // the supervisor restarts this worker; its stash goes back to the mailbox first
    }

    /// <summary>Gives an answer carrying <paramref name="payload"/>, or, where it cannot cross the wire to the manager, says why.</summary>
    private void Answer(IActorRef manager, long chunkId, Array? payload, Func<IChunkAnswer> answer)
    {
        if (payload is not null && manager.Path.Address.HasGlobalScope)
        {
            var (bytes, problem) = _wire.Measure(payload);
            _outbox.Give(manager, problem is null ? answer() : new ChunkRefused(chunkId, problem, Pid), bytes);
            return;
        }
        _outbox.Give(manager, answer());
    }

    /// <summary>How long the answers of a batch's short chunks may wait to travel together (<c>actors.pool.answer-hold</c>).</summary>
    private static TimeSpan AnswerHold(ActorSystem system) =>
        system.Settings.Config.GetTimeSpan("actors.pool.answer-hold", TimeSpan.Zero, allowInfinite: false);

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

    /// <summary>
    /// The strategy a worker's supervisor applies: restart only the one that failed. A
    /// <see cref="Kill"/> (which Akka's untrusted mode lets through from a peer) resumes the worker,
    /// so that the chunks it holds still run and are answered.
    /// </summary>
    public static SupervisorStrategy Strategy() => new OneForOneStrategy(
        localOnlyDecider: exception => exception switch
        {
            ActorKilledException => Directive.Resume,
            ActorInitializationException => Directive.Stop,
            OutOfMemoryException => Directive.Escalate,
            _ => Directive.Restart,
        },
        loggingEnabled: false); // the worker logs one readable line itself, in PreRestart
}
