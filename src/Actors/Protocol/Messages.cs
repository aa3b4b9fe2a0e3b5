using Akka.Actor;

namespace Actors.Protocol;

// The messages that cross the wire between a pool and its workers, and between a worker host and
// the pool that started it. Each family has a marker interface bound to ActorsSerializer in
// reference.conf; nothing else of this project is ever serialized.

/// <summary>Marks the manager ⇄ worker protocol.</summary>
public interface IWorkerMessage;

/// <summary>Manager to worker: run these inputs and answer with <see cref="ChunkCompleted"/> or
/// <see cref="ChunkFailed"/>. A worker runs its chunks one at a time, in the order they arrive.</summary>
/// <param name="ChunkId">Names the chunk in the answer; unique within the pool.</param>
/// <param name="JobType">The job's type name (<c>Full.Name, Assembly</c>); the worker builds its own instance.</param>
/// <param name="Inputs">A typed array of the inputs.</param>
internal sealed record RunChunk(long ChunkId, string JobType, Array Inputs) : IWorkerMessage;

/// <summary>Worker to manager: the outputs of a chunk, in input order.</summary>
/// <param name="Pid">The process the chunk ran in.</param>
internal sealed record ChunkCompleted(long ChunkId, Array Outputs, int Pid) : IWorkerMessage;

/// <summary>Worker to manager: the job threw at <paramref name="FailedOffset"/>;
/// <paramref name="CompletedOutputs"/> holds the outputs of the inputs before it.</summary>
/// <param name="Retryable">False when no try could succeed (the job type cannot be built here).</param>
internal sealed record ChunkFailed(
    long ChunkId, int FailedOffset, Array CompletedOutputs, string ErrorType, string ErrorMessage, bool Retryable, int Pid) : IWorkerMessage;

/// <summary>Marks the worker host ⇄ pool protocol.</summary>
public interface IHostMessage;

/// <summary>A worker host to the pool that started it: I am up, deploy workers at <paramref name="Address"/>.</summary>
internal sealed record WorkerHostReady(int Pid, string Address) : IHostMessage;
