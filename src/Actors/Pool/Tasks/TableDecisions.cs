using Actors.Protocol;

namespace Actors.Pool.Tasks;

/// <summary>What the task table decided; the manager turns each decision into a message.</summary>
internal abstract record TableDecision;

/// <summary>Send chunk <paramref name="ChunkId"/>, inputs <paramref name="FirstIndex"/> .. of job <paramref name="JobId"/>, to <paramref name="Worker"/>.</summary>
/// <param name="Tries">Tries of these inputs charged so far: 0 for a first sending and for one sent again uncharged.</param>
internal sealed record SendChunk<TWorker>(TWorker Worker, long ChunkId, long JobId, long FirstIndex, string JobType, ArrayRegion Inputs, int Tries) : TableDecision
{
    /// <summary>The span the chunk's inputs belong to; none when untraced.</summary>
    public System.Diagnostics.ActivityContext Trace { get; init; }
}

/// <summary>Tell <paramref name="Worker"/> to stop running chunk <paramref name="ChunkId"/> (its job has ended).</summary>
internal sealed record CancelRun<TWorker>(TWorker Worker, long ChunkId) : TableDecision;

/// <summary>
/// <paramref name="Worker"/> is still busy with chunk <paramref name="ChunkId"/> past its deadline
/// (its inputs have been charged a try already): a job that does not heed cancellation holds it, so
/// its placement retires it — a worker process is killed and replaced, a thread's worker is replaced.
/// </summary>
/// <param name="JobType">The job it runs.</param>
/// <param name="FirstIndex">The job-wide index of the chunk's first input.</param>
/// <param name="FirstInput">That input, for the status line.</param>
/// <param name="Timeout">The per-input timeout it overran.</param>
internal sealed record WorkerOverdue<TWorker>(TWorker Worker, long ChunkId, string JobType, long FirstIndex, object? FirstInput, TimeSpan Timeout) : TableDecision;

/// <summary>Send <paramref name="Worker"/> a probe it answers once it has answered everything sent before it.</summary>
internal sealed record ProbeWorker<TWorker>(TWorker Worker, long ProbeId) : TableDecision;

/// <summary>Hand the outputs of inputs <c>FirstIndex ..</c> of a job to its caller; <paramref name="Outputs"/> is null when the worker wrote them in place.</summary>
internal sealed record DeliverResults(long JobId, long FirstIndex, int Count, Array? Outputs, int Pid) : TableDecision;

/// <summary>Tell a job's caller that input <paramref name="Index"/> failed on its last try.</summary>
/// <param name="Input">The input itself, for the caller's message.</param>
/// <param name="Error">What its last try ended with.</param>
/// <param name="Attempts">How many times it was tried.</param>
internal sealed record ReportFailure(long JobId, long Index, object? Input, JobError Error, int Attempts) : TableDecision;

/// <summary>How one map job's tasks are run and retried.</summary>
/// <param name="JobType">The job's type name, as workers resolve it.</param>
/// <param name="MaxAttempts">Tries per input, counting the first.</param>
/// <param name="TaskTimeout">The longest one input may take, counted from when its worker starts its chunk; null for none.</param>
/// <param name="RetryJobExceptions">Whether an input whose job threw is tried again (a lost worker or a timeout always is).</param>
internal sealed record JobPolicy(string JobType, int MaxAttempts, TimeSpan? TaskTimeout, bool RetryJobExceptions);

/// <summary>How the table picks the worker for the next chunk.</summary>
internal enum WorkerChoice
{
    /// <summary>The next worker with room, in turn (round-robin and random routers).</summary>
    RoundRobin,

    /// <summary>The worker with the fewest chunks (smallest-mailbox routers; what a mailbox size is for a remote worker).</summary>
    LeastLoaded,
}

/// <summary>Why a chunk's inputs are charged a try.</summary>
internal enum Charge
{
    /// <summary>The job threw for the input.</summary>
    JobThrew,

    /// <summary>The worker died (its process or node) while running the chunk.</summary>
    WorkerLost,

    /// <summary>The chunk ran past its deadline.</summary>
    TimedOut,

    /// <summary>The worker answered for a later chunk, or a later probe, and never for this one: a message was lost.</summary>
    NoAnswer,

    /// <summary>The chunk, or its outputs, are too large for a frame: it is split, or its one input reported.</summary>
    TooLarge,

    /// <summary>The chunk, or its outputs, cannot be serialized at all: it is split, or its one input reported with the serializer's error.</summary>
    NotSerializable,
}

/// <summary>What the table holds right now.</summary>
internal readonly record struct TableCounts(int Workers, int InFlight, int MaxInFlight, int Queued, int Jobs, long Retries);
