using Actors.Jobs;
using Akka.Actor;
using Akka.Event;

namespace Actors.Pool;

/// <summary>
/// A routee of the pool: runs one chunk at a time and answers the manager. A job that throws
/// crashes this worker after it has told the manager which input failed; the router's supervisor
/// restarts it, and the manager decides whether to retry.
/// </summary>
internal sealed class Worker : ReceiveActor
{
    private static readonly int Pid = Environment.ProcessId;

    private readonly Dictionary<string, JobRunner> _runners = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Processes.StartedChunk _started = Processes.StartedChunk.For(Context.System);
    private long? _failedChunk;

    public Worker()
    {
        ReceiveAsync<RunChunk>(HandleRunChunk);
        // Mailboxes are FIFO per sender: by the time this is read, every chunk sent before it was acknowledged.
        Receive<Flush>(flush => Sender.Tell(new Flushed(flush.Epoch)));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new Worker());

    private async Task HandleRunChunk(RunChunk run)
    {
        var manager = Sender;
        if (run.Acknowledge)
        {
            manager.Tell(new ChunkStarted(run.ChunkId));
            _started.Announce(run.ChunkId);
        }
        JobRunner runner;
        try
        {
            runner = RunnerFor(run.JobType);
        }
        catch (UnknownJobException e)
        {
            // Not the worker's fault and not worth a restart: every try would fail the same way.
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
            manager.Tell(new ChunkFailed(run.ChunkId, e.Index, e.Completed, cause.GetType().FullName!, cause.Message, Retryable: true, Pid));
            _failedChunk = run.ChunkId;
            throw;
        }
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

    protected override void PreRestart(Exception reason, object message)
    {
        var cause = reason is JobInputException { InnerException: { } inner } ? inner : reason;
        _log.Warning("worker {0} restarting after chunk {1} failed: {2}: {3}",
            Self.Path.Name, _failedChunk?.ToString() ?? "?", cause.GetType().Name, cause.Message);
        base.PreRestart(reason, message);
    }

    /// <summary>The strategy the pool's router applies to its workers: restart only the one that failed.</summary>
    public static SupervisorStrategy Strategy() => new OneForOneStrategy(
        localOnlyDecider: exception => exception switch
        {
            ActorInitializationException => Directive.Stop,
            OutOfMemoryException => Directive.Escalate,
            _ => Directive.Restart,
        },
        loggingEnabled: false); // the worker logs one readable line itself, in PreRestart
}
