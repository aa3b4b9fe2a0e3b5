using Akka.Actor;

namespace Actors.Pool;

/// <summary>Marks every message of the pool protocol, so that one serializer binds the family.</summary>
public interface IPoolMessage;

/// <summary>Opens a map job on the manager; its results go to <paramref name="ReplyTo"/>.</summary>
internal sealed record StartJob(long JobId, string JobType, int MaxAttempts, TimeSpan? TaskTimeout, IActorRef ReplyTo) : IPoolMessage;

/// <summary>Inputs <c>FirstIndex ..</c> of a job, as a typed array, to be queued for the workers.</summary>
internal sealed record SubmitChunk(long JobId, long FirstIndex, Array Inputs) : IPoolMessage;

/// <summary>The caller is done with a job (finished, failed or cancelled): drop what is left of it.</summary>
internal sealed record EndJob(long JobId) : IPoolMessage;

/// <summary>Manager to worker: run these inputs. <paramref name="Acknowledge"/> asks for
/// <see cref="ChunkStarted"/>, which the manager needs where a worker's process can die.</summary>
internal sealed record RunChunk(long ChunkId, string JobType, Array Inputs, bool Acknowledge) : IPoolMessage;

/// <summary>Manager to a worker after another worker was lost: answer once you have taken every chunk sent before this.</summary>
internal sealed record Flush(long Epoch) : IPoolMessage;

/// <summary>Worker to manager: every chunk sent before the <see cref="Flush"/> has been acknowledged.</summary>
internal sealed record Flushed(long Epoch) : IPoolMessage;

/// <summary>Worker to manager: the chunk is running here.</summary>
internal sealed record ChunkStarted(long ChunkId) : IPoolMessage;

/// <summary>Worker to manager: the outputs of a chunk, in input order.</summary>
internal sealed record ChunkCompleted(long ChunkId, Array Outputs, int Pid) : IPoolMessage;

/// <summary>Worker to manager: the job threw at <paramref name="FailedOffset"/>;
/// <paramref name="CompletedOutputs"/> holds the outputs of the inputs before it.</summary>
internal sealed record ChunkFailed(
    long ChunkId, int FailedOffset, Array CompletedOutputs, string ErrorType, string ErrorMessage, bool Retryable, int Pid) : IPoolMessage;

/// <summary>Manager to caller: outputs of inputs <c>FirstIndex ..</c>.</summary>
internal sealed record ResultsReady(long JobId, long FirstIndex, Array Outputs, int Pid) : IPoolMessage;

/// <summary>Manager to caller: an input failed on every attempt.</summary>
internal sealed record InputFailed(long JobId, long Index, string Input, string ErrorType, string ErrorMessage, int Attempts) : IPoolMessage;

/// <summary>Asks the manager for a <see cref="PoolStatus"/>.</summary>
public sealed class GetPoolStatus : IPoolMessage
{
    public static GetPoolStatus Instance { get; } = new();

    private GetPoolStatus() { }
}

/// <summary>What the pool manager is doing right now.</summary>
/// <param name="Routees">Workers the router has now (a resizer changes it).</param>
/// <param name="InFlightChunks">Chunks sent to workers and not yet answered.</param>
/// <param name="MaxInFlightChunks">The bound on <paramref name="InFlightChunks"/>.</param>
/// <param name="QueuedChunks">Chunks waiting for a worker.</param>
/// <param name="ActiveJobs">Map jobs open on the manager.</param>
/// <param name="Retries">Chunks sent again after a failure, a timeout or a lost worker.</param>
/// <param name="WorkerProcesses">Worker OS processes serving the pool (0 in local mode).</param>
/// <param name="Recovering">A worker was lost and the manager is still accounting for the chunks it held (dispatch waits).</param>
public sealed record PoolStatus(
    int Routees, int InFlightChunks, int MaxInFlightChunks, int QueuedChunks, int ActiveJobs, long Retries, int WorkerProcesses,
    bool Recovering = false) : IPoolMessage;
