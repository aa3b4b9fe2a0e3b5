using Actors.Pool;
using Akka.Actor;

namespace Actors.Processes;

/// <summary>A worker process to its pool: I am up, deploy workers at <paramref name="Address"/>.</summary>
internal sealed record WorkerHostReady(int Pid, string Address) : IPoolMessage;

/// <summary>Asks the worker-process supervisor to stop every worker process in order; answered with <see cref="Done"/>.</summary>
internal sealed class StopProcesses : INoSerializationVerificationNeeded
{
    public static StopProcesses Instance { get; } = new();

    private StopProcesses() { }

    /// <summary>Every worker process has exited.</summary>
    public sealed class Done : INoSerializationVerificationNeeded
    {
        public static Done Instance { get; } = new();

        private Done() { }
    }
}
