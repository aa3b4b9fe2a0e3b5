namespace Actors.Cluster;

/// <summary>What a pool's manager must be told about some workers, and why.</summary>
internal enum WorkerChangeKind
{
    /// <summary>Ready for chunks.</summary>
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
/// The routees of a cluster router pool, by the member they run on, in plain C#: turns what the
/// router lists and what the cluster says about members into what the pool's manager must hear.
/// Every routee is added once and reported gone — lost or leaving — exactly once.
/// </summary>
/// <remarks>
/// The verdict on a routee follows its member: a member that leaves (or exits, or is removed after
/// exiting) takes its routees away in order, uncharged; one that is downed, or removed without
/// exiting, lost them with whatever they were running. An unreachable member gets no new work but
/// keeps what it holds until it is downed (lost) or reachable again — then its old routees, which
/// the router stopped and replaced when it became unreachable, are retired uncharged. So a chunk
/// is charged a try only when its member is known to be gone, never for a pause that passed; this
/// keeps the poison bound (a chunk that kills members is charged each time) without charging a
/// chunk for a slow heartbeat. A routee that disappears from the router's list before the cluster
/// event that explains it arrives is only suspended; the event decides.
/// </remarks>
/// <typeparam name="TWorker">What names a routee (an actor reference).</typeparam>
/// <typeparam name="TNode">What names a member (an address).</typeparam>
internal sealed class MemberRoutees<TWorker, TNode>(Func<TWorker, TNode> nodeOf)
    where TWorker : notnull where TNode : notnull
{
    /// <summary>Routees added and not yet reported gone; true for those told unreachable.</summary>
    private readonly Dictionary<TWorker, bool> _workers = new();
    /// <summary>Routees reported gone, kept while the router may still list them, so that a stale list never adds them again.</summary>
    private readonly HashSet<TWorker> _finished = new();
    /// <summary>Members the cluster reports unreachable now.</summary>
    private readonly HashSet<TNode> _unreachable = new();
    /// <summary>Members leaving, downed or removed: a list that still shows routees there is stale.</summary>
    private readonly HashSet<TNode> _departed = new();
    private readonly List<WorkerChange<TWorker>> _changes = new();

    /// <summary>Routees added and not yet reported gone.</summary>
    public int Count => _workers.Count;

    /// <summary>Members those routees run on.</summary>
    public int Nodes => _workers.Keys.Select(nodeOf).Distinct().Count();

    /// <summary>The router's routees now: new ones on members in good standing are added; ones it no longer lists are suspended until an event says why.</summary>
    public IReadOnlyList<WorkerChange<TWorker>> Listed(IReadOnlyCollection<TWorker> routees)
    {
        var listed = routees.ToHashSet();
        _finished.IntersectWith(listed);
        var added = routees.Where(routee => !_workers.ContainsKey(routee) && !_finished.Contains(routee) && InGoodStanding(nodeOf(routee))).ToArray();
        foreach (var routee in added) _workers.Add(routee, false);
        Report(WorkerChangeKind.Added, added, "the router deployed them");
        Suspend(_workers.Keys.Where(worker => !listed.Contains(worker)), "the router no longer routes to them");
        return Changes();
    }

    /// <summary>A member joined or came up: a new incarnation at an address that had departed is in good standing again.</summary>
    public IReadOnlyList<WorkerChange<TWorker>> MemberUp(TNode node)
    {
        _departed.Remove(node);
        return Changes();
    }

    /// <summary>The failure detector lost a member: its routees get no new work, and keep what they hold.</summary>
    public IReadOnlyList<WorkerChange<TWorker>> Unreachable(TNode node)
    {
        _unreachable.Add(node);
        Suspend(On(node), $"member {node} is unreachable");
        return Changes();
    }

    /// <summary>A member is reachable again: the router replaced its routees when it became unreachable, so the old ones retire uncharged.</summary>
    public IReadOnlyList<WorkerChange<TWorker>> Reachable(TNode node)
    {
        if (_unreachable.Remove(node)) Finish(WorkerChangeKind.Leaving, On(node), $"member {node} is reachable again; the router replaced its workers");
        return Changes();
    }

    /// <summary>A member is leaving or exiting: its routees go away in order, unless it is unreachable (then its removal decides).</summary>
    public IReadOnlyList<WorkerChange<TWorker>> Leaving(TNode node)
    {
        _departed.Add(node);
        if (!_unreachable.Contains(node)) Finish(WorkerChangeKind.Leaving, On(node), $"member {node} is leaving the cluster");
        return Changes();
    }

    /// <summary>A member was downed: its routees are lost with what they held.</summary>
    public IReadOnlyList<WorkerChange<TWorker>> Downed(TNode node)
    {
        _departed.Add(node);
        Finish(WorkerChangeKind.Lost, On(node), $"member {node} was downed");
        return Changes();
    }

    /// <summary>A member was removed: after exiting, its routees left in order; otherwise they are lost.</summary>
    public IReadOnlyList<WorkerChange<TWorker>> Removed(TNode node, bool afterExiting)
    {
        _departed.Add(node);
        _unreachable.Remove(node);
        if (afterExiting) Finish(WorkerChangeKind.Leaving, On(node), $"member {node} left the cluster");
        else Finish(WorkerChangeKind.Lost, On(node), $"member {node} was removed from the cluster");
        return Changes();
    }

    /// <summary>
    /// A routee stopped (its death was watched) before its member's fate explained it. On a member
    /// that is unreachable now, the router stopped it (a dead member's routees are reported
    /// terminated only after it is removed, and so after it was downed): it retires uncharged.
    /// Otherwise it died with what it held.
    /// </summary>
    public IReadOnlyList<WorkerChange<TWorker>> Terminated(TWorker worker)
    {
        if (!_workers.ContainsKey(worker)) return Changes();
        var node = nodeOf(worker);
        if (_unreachable.Contains(node)) Finish(WorkerChangeKind.Leaving, [worker], $"the router stopped worker {worker} while member {node} was unreachable");
        else Finish(WorkerChangeKind.Lost, [worker], $"worker {worker} on member {node} stopped");
        return Changes();
    }

    /// <summary>The router itself stopped and took its routees with it: they retire uncharged.</summary>
    public IReadOnlyList<WorkerChange<TWorker>> RouterStopped()
    {
        Finish(WorkerChangeKind.Leaving, _workers.Keys.ToArray(), "the pool's cluster router stopped");
        return Changes();
    }

    private bool InGoodStanding(TNode node) => !_unreachable.Contains(node) && !_departed.Contains(node);

    private TWorker[] On(TNode node) => _workers.Keys.Where(worker => EqualityComparer<TNode>.Default.Equals(nodeOf(worker), node)).ToArray();

    private void Suspend(IEnumerable<TWorker> workers, string reason)
    {
        var suspended = workers.Where(worker => !_workers[worker]).ToArray();
        foreach (var worker in suspended) _workers[worker] = true;
        Report(WorkerChangeKind.Unreachable, suspended, reason);
    }

    private void Finish(WorkerChangeKind kind, IReadOnlyList<TWorker> workers, string reason)
    {
        foreach (var worker in workers)
        {
            _workers.Remove(worker);
            _finished.Add(worker);
        }
        Report(kind, workers, reason);
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
