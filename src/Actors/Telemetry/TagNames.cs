namespace Actors.Telemetry;

/// <summary>
/// The attribute names the library's metrics and spans carry. Metric tags are bounded by what a
/// program declares (its pools, modes, jobs and buffers), never by its inputs, processes or chunks;
/// spans also carry per-run attributes (a chunk's id, its worker's process id or address).
/// </summary>
public static class TagNames
{
    /// <summary>The pool's name.</summary>
    public const string Pool = "actors.pool.name";

    /// <summary>Where the pool's workers live: <c>local</c>, <c>processes</c>, <c>cluster</c>.</summary>
    public const string Mode = "actors.pool.mode";

    /// <summary>The job's type, its full name without the assembly.</summary>
    public const string Job = "actors.job.name";

    /// <summary>Why inputs were sent again: <c>job_exception</c>, <c>worker_lost</c>, <c>worker_left</c>, <c>timeout</c>, <c>no_answer</c>, <c>too_large</c>.</summary>
    public const string RetryReason = "actors.retry.reason";

    /// <summary>A worker's state: <c>ready</c> (owes nothing), <c>busy</c> (runs chunks), <c>stuck</c> (silent past probe-after, or unreachable).</summary>
    public const string WorkerState = "actors.worker.state";

    /// <summary>The bounded buffer's name.</summary>
    public const string Buffer = "actors.buffer.name";

    /// <summary>Who waits on a buffer: <c>producer</c> or <c>consumer</c>.</summary>
    public const string BufferSide = "actors.buffer.side";

    /// <summary>Why a call ended without its outcome: the exception's full type name (OpenTelemetry's <c>error.type</c>).</summary>
    public const string ErrorType = "error.type";

    /// <summary>Span attribute: the chunk's id within its pool.</summary>
    public const string ChunkId = "actors.chunk.id";

    /// <summary>Span attribute: how many inputs the chunk holds.</summary>
    public const string ChunkInputs = "actors.chunk.inputs";

    /// <summary>Span attribute: the job-wide index of the chunk's first input.</summary>
    public const string ChunkFirstIndex = "actors.chunk.first_index";

    /// <summary>Span attribute: the try this run is of its inputs (1 for the first).</summary>
    public const string ChunkAttempt = "actors.chunk.attempt";

    /// <summary>Span attribute: how the chunk's run ended: <c>completed</c>, <c>failed</c>, <c>refused</c>, <c>worker_lost</c>, <c>resent</c>, <c>cancelled</c>.</summary>
    public const string ChunkOutcome = "actors.chunk.outcome";

    /// <summary>Span attribute: the process id of the worker that ran the chunk.</summary>
    public const string WorkerPid = "actors.worker.pid";

    /// <summary>Span attribute: the address of the actor system the worker lives in (a worker process or a cluster member); absent for this process's threads.</summary>
    public const string WorkerAddress = "actors.worker.address";

    /// <summary>Span attribute: how many inputs a map was given (when known up front).</summary>
    public const string MapInputs = "actors.map.inputs";
}
