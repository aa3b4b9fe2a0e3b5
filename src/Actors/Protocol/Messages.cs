using Akka.Actor;

namespace Actors.Protocol;

// The messages that cross the wire between a pool and its workers, and between a pool and a worker
// host. Each family has a marker interface bound to ActorsSerializer in reference.conf.

/// <summary>Marks the manager ⇄ worker protocol.</summary>
internal interface IWorkerMessage;

/// <summary>Manager to worker: run these inputs and answer with <see cref="ChunkCompleted"/>,
/// <see cref="ChunkFailed"/> or <see cref="ChunkRefused"/>, at once. A worker runs its chunks one at a time,
/// and answers them in the order they arrive.</summary>
/// <param name="ChunkId">Names the chunk in the answer; unique within the pool.</param>
/// <param name="JobType">The job's type name (<c>Full.Name, Assembly</c>); the worker builds its own instance.</param>
/// <param name="Inputs">The inputs: a region of a typed array.</param>
internal sealed record RunChunk(long ChunkId, string JobType, ArrayRegion Inputs) : IWorkerMessage
{
    /// <summary>
    /// Where the outputs go, in a worker of the caller's own process: the region of the caller's
    /// result array that matches the inputs. Null otherwise; it never crosses the wire.
    /// </summary>
    public ArrayRegion? Destination { get; init; }

    /// <summary>
    /// The W3C trace context of the chunk's run (its span in the pool's process, or the span its
    /// inputs belong to); none when untraced. It crosses the wire only when present, and the worker's
    /// own span of the run is its child.
    /// </summary>
    public System.Diagnostics.ActivityContext Trace { get; init; }
}

/// <summary>
/// Manager to worker: chunks that became due for one worker at once, in one message (small chunks
/// pipeline without a message each). The worker runs them in order and answers each one, as if each
/// had come alone, except that it may gather those answers into a <see cref="ChunkAnswers"/>; the
/// manager sends a chunk with a deadline alone, as a <see cref="RunChunk"/>, so that its answer is not held.
/// </summary>
internal sealed record RunChunks(IReadOnlyList<RunChunk> Chunks) : IWorkerMessage;

/// <summary>Manager to worker: the chunk's job has ended; stop it if it is running (an async job
/// sees its token cancelled), and answer it without running it if it has not started.</summary>
internal sealed record CancelChunk(long ChunkId) : IWorkerMessage;

/// <summary>Manager to worker: answer <see cref="Probed"/> once every chunk sent before this has been answered.</summary>
internal sealed record Probe(long Id) : IWorkerMessage;

/// <summary>Worker to manager: every chunk sent before <see cref="Probe"/> <paramref name="Id"/> has been answered.</summary>
internal sealed record Probed(long Id) : IWorkerMessage;

/// <summary>What a worker says about one chunk it was sent: completed, failed or refused.</summary>
internal interface IChunkAnswer : IWorkerMessage
{
    long ChunkId { get; }
}

/// <summary>
/// Worker to manager: the answers for chunks that came in <see cref="RunChunks"/>, in the order the
/// worker gave them, in one message. A worker gathers the answers of short chunks only, for a
/// bounded time (<c>actors.pool.answer-hold</c>).
/// </summary>
internal sealed record ChunkAnswers(IReadOnlyList<IChunkAnswer> Answers) : IWorkerMessage;

/// <summary>Worker to manager: the outputs of a chunk, in input order; null when they were written in place (<see cref="RunChunk.Destination"/>).</summary>
/// <param name="Pid">The process the chunk ran in.</param>
internal sealed record ChunkCompleted(long ChunkId, Array? Outputs, int Pid) : IChunkAnswer
{
    /// <summary>How long the worker took to run it, by its own clock (zero when unknown): sizes how deep its pipeline may be.</summary>
    public TimeSpan RunTime { get; init; }
}

/// <summary>Worker to manager: the job threw at <paramref name="FailedOffset"/>;
/// <paramref name="CompletedOutputs"/> holds the outputs of the inputs before it (null when written in place).</summary>
/// <param name="Retryable">False when no try could succeed (the job type cannot be built here, the chunk was cancelled).</param>
internal sealed record ChunkFailed(long ChunkId, int FailedOffset, Array? CompletedOutputs, JobError Error, bool Retryable, int Pid) : IChunkAnswer;

/// <summary>What a job threw, in words that cross the wire, and, in the process it was thrown in, the exception itself.</summary>
/// <param name="Type">The exception's type: its full name.</param>
/// <param name="Message">Its message.</param>
/// <param name="StackTrace">Where it was thrown, as text (empty for errors the pool itself reports).</param>
/// <param name="Pid">The process it was thrown in.</param>
public sealed record JobError(string Type, string Message, string StackTrace, int Pid)
{
    /// <summary>The exception itself; only in the process it was thrown in (it never crosses the wire).</summary>
    public Exception? Cause { get; init; }

    /// <summary>An error the pool reports itself (a timeout, a lost worker): no stack trace, this process.</summary>
    public static JobError Of(string type, string message) => new(type, message, "", Environment.ProcessId);

    /// <summary>What <paramref name="exception"/> says, and the exception itself.</summary>
    public static JobError From(Exception exception) =>
        new(exception.GetType().FullName!, exception.Message, exception.StackTrace ?? "", Environment.ProcessId) { Cause = exception };

    // Equality by what crosses the wire: the exception object is this process's only.
    public bool Equals(JobError? other) =>
        other is not null && (Type, Message, StackTrace, Pid) == (other.Type, other.Message, other.StackTrace, other.Pid);

    public override int GetHashCode() => HashCode.Combine(Type, Message, StackTrace, Pid);
}

/// <summary>Worker to manager: the chunk ran, but its outputs cannot cross the wire (<paramref name="Reason"/>):
/// too large for a frame, or not serializable. A chunk of several inputs is split and run again.</summary>
internal sealed record ChunkRefused(long ChunkId, string Reason, int Pid) : IChunkAnswer;

/// <summary>Marks the pool ⇄ worker host protocol.</summary>
internal interface IHostMessage;

/// <summary>Pool to a worker host's <c>/user/workers</c>: which workers do you have?</summary>
internal sealed class ListWorkers : IHostMessage
{
    public static ListWorkers Instance { get; } = new();

    private ListWorkers() { }
}

/// <summary>Worker host to pool: the workers it created (the pool deploys nothing into it).</summary>
internal sealed record WorkersListed(IReadOnlyList<IActorRef> Workers, int Pid) : IHostMessage;
