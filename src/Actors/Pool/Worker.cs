using Actors.Jobs;
using Actors.Protocol;
using Akka.Actor;
using Akka.Event;

namespace Actors.Pool;

/// <summary>
/// A routee of the pool: runs one chunk at a time, in the order they arrive, and answers the
/// manager. A job that throws crashes this worker after it has told the manager which input
/// failed; its supervisor restarts it, and the manager decides whether to retry.
/// </summary>
internal sealed class Worker : ReceiveActor
{
    private static readonly int Pid = Environment.ProcessId;

    private readonly Dictionary<string, JobRunner> _runners = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly WorkerHostOutput _host = WorkerHostOutput.For(Context.System);
    private readonly WorkerActivity _activity = WorkerActivity.For(Context.System);
    private long? _failedChunk;

    public Worker()
    {
        ReceiveAsync<RunChunk>(HandleRunChunk);
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new Worker());

    /// <summary>What a membership child needs to create or deploy workers.</summary>
    public static WorkerSpec Spec() => new(Props(), Strategy());

    private async Task HandleRunChunk(RunChunk run)
    {
        var manager = Sender;
        _host.AnnounceStarted(run.ChunkId);
        _activity.ChunkStarted();
        JobRunner runner;
        try
        {
            runner = RunnerFor(run.JobType);
        }
        catch (UnknownJobException e)
        {
            // Not the worker's fault and not worth a restart: every try would fail the same way.
            _activity.ChunkFailed();
            manager.Tell(new ChunkFailed(run.ChunkId, 0, Array.Empty<object>(), nameof(UnknownJobException), e.Message, Retryable: false, Pid));
            return;
        }

        Array outputs;
        try
        {
            outputs = await runner.RunAsync(run.Inputs, CancellationToken.None);
        }
        catch (JobInputException e)
        {
            var cause = e.InnerException!;
            _activity.ChunkFailed();
            manager.Tell(new ChunkFailed(run.ChunkId, e.Index, e.Completed, cause.GetType().FullName!, cause.Message, Retryable: true, Pid));
            _failedChunk = run.ChunkId;
            throw;
        }
        _activity.ChunkDone(outputs.Length);
        manager.Tell(new ChunkCompleted(run.ChunkId, outputs, Pid));
    }

    private JobRunner RunnerFor(string jobType)
    {
        if (!_runners.TryGetValue(jobType, out var runner))
        {
            runner = JobRunner.Create(jobType);
            _runners[jobType] = runner;
        }
        return runner;
    }

    protected override void PreStart() => _activity.WorkerStarted();

    protected override void PostStop() => _activity.WorkerStopped();

    protected override void PreRestart(Exception reason, object message)
    {
        _activity.WorkerRestarted();
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
