using Akka.Actor;

namespace Actors.Protocol;

// The seam between a pool's manager and the children that know what a worker *is* (a routee of a
// local router pool, a worker in a process the pool started, a worker on a pre-started node or a
// cluster member). Membership children tell their parent, the manager, only these facts; the
// manager never learns about processes, pids, ports or nodes. They never leave the process.

/// <summary>Marks what a membership child tells the manager.</summary>
internal interface IMembershipEvent : INoSerializationVerificationNeeded;

/// <summary>These workers are ready for chunks.</summary>
internal sealed record WorkersAdded(IReadOnlyList<IActorRef> Workers) : IMembershipEvent;

/// <summary>
/// These workers are gone with whatever they held (their process or node died). The chunk each
/// was running is charged a try; the others go back to the queue uncharged.
/// </summary>
/// <param name="Reason">In words for the caller, e.g. "worker process 123 exited with code 134".</param>
/// <param name="AnnouncedChunks">Chunks their host said it started, latest last, when it said so
/// (a worker process names each chunk on its standard output): pins down which was running.</param>
internal sealed record WorkersLost(IReadOnlyList<IActorRef> Workers, string Reason, IReadOnlyList<long> AnnouncedChunks) : IMembershipEvent;

/// <summary>
/// These workers cannot be reached now (their cluster member is unreachable, or the router stopped
/// routing to them): send them nothing more. What they hold stays theirs, and their answers still
/// count, until they are reported lost (charged) or leaving (uncharged), or added again.
/// </summary>
/// <remarks>
/// A member that is only unreachable may come back, or may be downed: which of the two decides
/// whether the chunk it was running is charged a try, so that decision waits, and meanwhile no new
/// chunk is sent into the silence.
/// </remarks>
internal sealed record WorkersUnreachable(IReadOnlyList<IActorRef> Workers, string Reason) : IMembershipEvent;

/// <summary>
/// These workers are going away in order (a resizer shrinks the pool, a cluster member leaves):
/// nothing they held is charged; it all goes back to the queue.
/// </summary>
internal sealed record WorkersLeaving(IReadOnlyList<IActorRef> Workers, string Reason) : IMembershipEvent;

/// <summary>No worker is left and none is coming: every waiting input is reported failed, and so is
/// every later one, until workers are added again.</summary>
internal sealed record NoWorkersLeft(string Reason) : IMembershipEvent;

/// <summary>How many hosts (worker processes or nodes) serve the pool now; 0 in local mode.</summary>
internal sealed record HostsCounted(int Hosts) : IMembershipEvent;

/// <summary>
/// Manager to membership: this worker is still busy with a chunk past its deadline (a job that does
/// not heed cancellation holds it). A membership that has it retires it so the pool keeps its size:
/// a worker process is killed (its exit is reported as usual, and a replacement starts); a thread's
/// worker is dropped from its router, which creates another. Others ignore it.
/// </summary>
internal sealed record RetireWorker(IActorRef Worker, string Reason) : INoSerializationVerificationNeeded;

/// <summary>Manager to membership: stop every worker host you started, in order; answered with <see cref="WorkersStopped"/>.</summary>
internal sealed class StopWorkers : INoSerializationVerificationNeeded
{
    public static StopWorkers Instance { get; } = new();

    private StopWorkers() { }
}

/// <summary>Membership to manager: every host it started has exited.</summary>
internal sealed class WorkersStopped : INoSerializationVerificationNeeded
{
    public static WorkersStopped Instance { get; } = new();

    private WorkersStopped() { }
}

/// <summary>What a membership child needs to create workers: their props and how to supervise them.</summary>
internal sealed record WorkerSpec(Props Props, SupervisorStrategy Strategy);
