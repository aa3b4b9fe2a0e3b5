using Actors.Pool.Tasks;
using Actors.Protocol;
using Akka.Actor;

namespace Actors.Pool;

// Between a pool's callers (the WorkerPool facade) and its manager. They never leave the process:
// what crosses the wire is in Actors.Protocol.

/// <summary>Marks the messages between a pool's callers and its manager.</summary>
public interface IPoolMessage : INoSerializationVerificationNeeded;

/// <summary>Opens a map job on the manager; its outcomes go to <paramref name="ReplyTo"/>.</summary>
/// <param name="Destination">The caller's result array, indexed like the inputs: workers of this process write their outputs straight into it.</param>
internal sealed record StartJob(long JobId, JobPolicy Policy, IActorRef ReplyTo, Array? Destination = null) : IPoolMessage;

/// <summary>Inputs <c>FirstIndex ..</c> of a job, a region of a typed array (often the caller's own), to be queued for the workers.</summary>
internal sealed record SubmitChunk(long JobId, long FirstIndex, ArrayRegion Inputs) : IPoolMessage
{
    /// <summary>The span these inputs belong to (their map's or submit's); none when untraced.</summary>
    public System.Diagnostics.ActivityContext Trace { get; init; }
}

/// <summary>The caller is done with a job (finished, failed or cancelled): drop what is left of it.</summary>
internal sealed record EndJob(long JobId) : IPoolMessage;

/// <summary>Manager to caller: the outcome of inputs <see cref="FirstIndex"/> .. of a job.</summary>
internal interface IJobOutcome : IPoolMessage
{
    long FirstIndex { get; }

    /// <summary>How many inputs it covers.</summary>
    int Count { get; }
}

/// <summary>Manager to caller: outputs of <paramref name="Count"/> inputs from <c>FirstIndex</c>, computed in process
/// <paramref name="Pid"/>; <paramref name="Outputs"/> is null when they were written into the job's destination.</summary>
internal sealed record ResultsReady(long JobId, long FirstIndex, int Count, Array? Outputs, int Pid) : IJobOutcome;

/// <summary>Manager to caller: an input failed on its last try.</summary>
/// <param name="Input">The input as text.</param>
/// <param name="Value">The input itself (the message never leaves the caller's process).</param>
internal sealed record InputFailed(long JobId, long Index, string Input, JobError Error, int Attempts, object? Value = null) : IJobOutcome
{
    public long FirstIndex => Index;

    public int Count => 1;

    /// <summary>The failure, its exception (if the job threw one) marked with it (see <see cref="PoolFailure"/>).</summary>
    public TaskFailure ToFailure() => PoolFailure.Marked(new TaskFailure(Index, Input, Error.Type, Error.Message, Attempts)
    {
        StackTrace = Error.StackTrace.Length > 0 ? Error.StackTrace : null,
        Exception = JobErrors.Rebuild(Error),
        InputValue = Value,
    });
}

/// <summary>Asks the manager for a <see cref="PoolStatus"/>.</summary>
public sealed class GetPoolStatus : IPoolMessage
{
    public static GetPoolStatus Instance { get; } = new();

    private GetPoolStatus() { }
}

/// <summary>Answered with the <see cref="PoolStatus"/> once the pool has <paramref name="Count"/> workers, or once it has none and expects none.</summary>
internal sealed record WaitForWorkers(int Count) : IPoolMessage;

/// <summary>What the pool manager is doing right now.</summary>
/// <param name="Routees">Workers taking chunks now (a resizer, a dead process or a new member changes it).</param>
/// <param name="InFlightChunks">Chunks sent to workers and not yet answered, for jobs still open (a cancelled job's chunks stop counting at once; their workers are told to stop them).</param>
/// <param name="MaxInFlightChunks">The bound on <paramref name="InFlightChunks"/> now: each worker's depth, summed
/// (chunks-per-worker, more while a worker's chunks are short: see max-chunks-per-worker).</param>
/// <param name="QueuedChunks">Chunks waiting for a worker.</param>
/// <param name="ActiveJobs">Map jobs open on the manager.</param>
/// <param name="Retries">Chunks sent again after a failure, a timeout or a lost worker, or taken back unstarted for an idle worker (see steal-after).</param>
/// <param name="Hosts">Worker processes or nodes serving the pool (0 in local mode).</param>
/// <param name="Unavailable">Why the pool has no workers and expects none, when that is so; every input submitted meanwhile fails with it.</param>
/// <param name="Answers">Answers from workers since the pool started (results, failures, refusals): it grows while the pool makes progress.</param>
/// <param name="Stuck">Workers still busy with a chunk past its deadline, each in words (the job, the input, since when); the
/// pool retires them and starts others in their place, and a worker of this process stays listed here until its job returns.</param>
public sealed record PoolStatus(
    int Routees, int InFlightChunks, int MaxInFlightChunks, int QueuedChunks, int ActiveJobs, long Retries, int Hosts,
    string? Unavailable = null, long Answers = 0, IReadOnlyList<string>? Stuck = null) : IPoolMessage;
