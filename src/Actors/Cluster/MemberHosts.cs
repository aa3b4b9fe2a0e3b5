namespace Actors.Cluster;

/// <summary>What a pool's manager must be told about some workers, and why.</summary>
internal enum WorkerChangeKind
{
    /// <summary>Ready for chunks (again, for workers that were unreachable).</summary>
    Added,

    /// <summary>Send them nothing more; what they hold waits for a verdict.</summary>
    Unreachable,

    /// <summary>Died with what they held: the running chunk is charged a try.</summary>
    Lost,

    /// <summary>Went away in order: everything they held goes back to the queue uncharged.</summary>
    Leaving,
}

/// <summary>One thing to tell the manager.</summary>
internal sealed record WorkerChange<TWorker>(WorkerChangeKind Kind, IReadOnlyList<TWorker> Workers, string Reason);

/// <summary>
/// The worker hosts of a pool's cluster members, in plain C#: turns what the cluster says about its
/// members and what each member's host lists into what the pool's manager must hear. Every worker is
/// added once (and again after it was unreachable), and reported gone — lost or leaving — exactly once.
/// </summary>
/// <remarks>
/// A worker member's host creates its workers itself; the pool only finds them. The verdict on a
/// member's workers follows the member: one that leaves (or exits, or is removed after exiting) takes
/// them away in order, uncharged; one that is downed, or removed without exiting, lost them with
/// whatever they were running. An unreachable member gets no new work but keeps what it holds: if it
/// becomes reachable again its workers — the same actors, nothing was replaced — take work again;
/// if it is downed they are lost. So a chunk is charged a try only when its member is known to be
/// gone, never for a pause that passed.
/// </remarks>
/// <typeparam name="TWorker">What names a worker (an actor reference).</typeparam>
/// <typeparam name="TNode">What names a member (an address).</typeparam>
internal sealed class MemberHosts<TWorker, TNode>
    where TWorker : notnull where TNode : notnull
{
    /// <summary>Worker members in good standing whose host has not listed its workers yet.</summary>
    private readonly HashSet<TNode> _asking = new();
    /// <summary>Each serving member's workers.</summary>
    private readonly Dictionary<TNode, IReadOnlyList<TWorker>> _serving = new();
    /// <summary>Members the cluster reports unreachable now.</summary>
    private readonly HashSet<TNode> _unreachable = new();
    private readonly List<WorkerChange<TWorker>> _changes = new();

    /// <summary>Workers added and not yet reported gone.</summary>
    public int Count => _serving.Values.Sum(workers => workers.Count);

    /// <summary>Members whose workers serve the pool.</summary>
    public int Nodes => _serving.Count;

    /// <summary>Whether the host of <paramref name="node"/> is still to be asked for its workers.</summary>
    public bool Wants(TNode node) => _asking.Contains(node);

    /// <summary>A worker member is up: its host is to be asked for its workers. True when it is new.</summary>
    public bool MemberUp(TNode node) => !_serving.ContainsKey(node) && _asking.Add(node);

    /// <summary>A member's host listed its workers: they are added, unless the member went away meanwhile.</summary>
    public IReadOnlyList<WorkerChange<TWorker>> Listed(TNode node, IReadOnlyList<TWorker> workers)
    {
        if (workers.Count == 0 || !_asking.Remove(node)) return Changes();
        _serving[node] = workers;
        Report(WorkerChangeKind.Added, workers, $"member {node}'s worker host listed them");
        if (_unreachable.Contains(node)) Report(WorkerChangeKind.Unreachable, workers, $"member {node} is unreachable");
        return Changes();
    }

    /// <summary>The failure detector lost a member: its workers get no new work, and keep what they hold.</summary>
    public IReadOnlyList<WorkerChange<TWorker>> Unreachable(TNode node)
    {
        if (_unreachable.Add(node) && _serving.TryGetValue(node, out var workers))
            Report(WorkerChangeKind.Unreachable, workers, $"member {node} is unreachable");
        return Changes();
    }

    /// <summary>A member is reachable again: its workers, the same actors, take work again.</summary>
    public IReadOnlyList<WorkerChange<TWorker>> Reachable(TNode node)
    {
        if (_unreachable.Remove(node) && _serving.TryGetValue(node, out var workers))
            Report(WorkerChangeKind.Added, workers, $"member {node} is reachable again");
        return Changes();
    }

    /// <summary>A member is leaving or exiting: its workers go away in order, unless it is unreachable (then its removal decides).</summary>
    public IReadOnlyList<WorkerChange<TWorker>> Leaving(TNode node)
    {
        _asking.Remove(node);
        if (!_unreachable.Contains(node)) Finish(WorkerChangeKind.Leaving, node, $"member {node} is leaving the cluster");
        return Changes();
    }

    /// <summary>A member was downed: its workers are lost with what they held.</summary>
    public IReadOnlyList<WorkerChange<TWorker>> Downed(TNode node)
    {
        _asking.Remove(node);
        Finish(WorkerChangeKind.Lost, node, $"member {node} was downed");
        return Changes();
    }

    /// <summary>A member was removed: after exiting, its workers left in order; otherwise they are lost.</summary>
    public IReadOnlyList<WorkerChange<TWorker>> Removed(TNode node, bool afterExiting)
    {
        _asking.Remove(node);
        _unreachable.Remove(node);
        if (afterExiting) Finish(WorkerChangeKind.Leaving, node, $"member {node} left the cluster");
        else Finish(WorkerChangeKind.Lost, node, $"member {node} was removed from the cluster");
        return Changes();
    }

    /// <summary>
    /// A worker stopped (its death was watched) before its member's fate explained it: it is lost
    /// with whatever it was running. When it was its member's last, the member's host is to be asked
    /// again (<see cref="Wants"/>): a host that restarted lists new workers.
    /// </summary>
    public IReadOnlyList<WorkerChange<TWorker>> Terminated(TWorker worker, TNode node)
    {
        if (!_serving.TryGetValue(node, out var workers) || !workers.Contains(worker)) return Changes();
        var rest = workers.Where(other => !EqualityComparer<TWorker>.Default.Equals(other, worker)).ToArray();
        if (rest.Length > 0) _serving[node] = rest;
        else
        {
            _serving.Remove(node);
            _asking.Add(node);
        }
        Report(WorkerChangeKind.Lost, [worker], $"worker {worker} on member {node} stopped");
        return Changes();
    }

    private void Finish(WorkerChangeKind kind, TNode node, string reason)
    {
        if (_serving.Remove(node, out var workers)) Report(kind, workers, reason);
    }

    private void Report(WorkerChangeKind kind, IReadOnlyList<TWorker> workers, string reason)
    {
        if (workers.Count > 0) _changes.Add(new WorkerChange<TWorker>(kind, workers, reason));
    }

    private IReadOnlyList<WorkerChange<TWorker>> Changes()
    {
        var changes = _changes.ToArray();
        _changes.Clear();
        return changes;
    }
}
