using Actors.Pool;

namespace Actors.Processes;

/// <summary>A worker process to its pool: I am up, deploy workers at <paramref name="Address"/>.</summary>
internal sealed record WorkerHostReady(int Pid, string Address) : IPoolMessage;
