using Actors.Workers;
using Actors.Pool;
using Akka.Actor;

namespace Actors.Cluster;

/// <summary>One member as a watcher saw it: the membership as the contact that answered sees it, and the member's own counts when it answered.</summary>
/// <param name="Address">The member's address.</param>
/// <param name="Roles">Its roles.</param>
/// <param name="Status">Joining, WeaklyUp, Up, Leaving, Exiting, Down, or Removed (lately).</param>
/// <param name="Reachable">Whether the contact that answered can reach it.</param>
/// <param name="Pid">Its process id; null when it did not answer.</param>
/// <param name="Workers">What its pool workers are doing; null when it did not answer.</param>
/// <param name="Reason">Why it is down or removed, as the member that downed it (or saw it go) says; empty when none said.</param>
internal sealed record MemberSnapshot(string Address, IReadOnlyList<string> Roles, string Status, bool Reachable, int? Pid, WorkerActivitySnapshot? Workers, string Reason = "");

/// <summary>A pool and the member its manager runs on.</summary>
internal sealed record PoolSnapshot(string Member, PoolView Pool);

/// <summary>
/// The cluster as one watcher saw it at one moment: every member, what each one's workers are
/// doing, and the pools submitting work. Taken by asking each node's <see cref="NodeStatusActor"/>,
/// from any actor system that can reach them (it need not be a member). Every question is bounded.
/// </summary>
/// <param name="Contact">The node whose view of the membership this is; null when none answered.</param>
internal sealed record ClusterSnapshot(DateTimeOffset TakenAt, string? Contact, IReadOnlyList<MemberSnapshot> Members, IReadOnlyList<PoolSnapshot> Pools)
{
    /// <summary>Inputs finished by every worker that answered, so far.</summary>
    public long InputsDone => Members.Sum(member => member.Workers?.InputsDone ?? 0);

    /// <summary>
    /// Asks every one of <paramref name="contacts"/> at once, and takes the membership from the first
    /// in their order that answered; then asks, all at once, every member not asked yet. Each
    /// question is bounded by <paramref name="timeout"/>, so a snapshot takes at most twice that
    /// however many members are silent, and a silent one is listed without its counts ("no answer").
    /// </summary>
    /// <param name="observer">Any actor system that can reach the members (same TLS authority when they run TLS).</param>
    /// <param name="contacts">Seeds, and members seen before: the first of them that answers gives the membership.</param>
    public static async Task<ClusterSnapshot> TakeAsync(ActorSystem observer, IEnumerable<Address> contacts, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var asked = contacts.Distinct().ToDictionary(contact => contact.ToString(), contact => AskAsync(observer, contact, timeout, cancellationToken));
        var contactAnswers = await Task.WhenAll(asked.Values).ConfigureAwait(false);
        if (contactAnswers.FirstOrDefault(answer => answer is not null) is not { } view) return new ClusterSnapshot(DateTimeOffset.UtcNow, null, [], []);

        asked[view.Address] = Task.FromResult<NodeStatus?>(view);
        foreach (var member in view.Members)
            if (member.MayAnswer && !asked.ContainsKey(member.Address))
                asked[member.Address] = AskAsync(observer, Akka.Actor.Address.Parse(member.Address), timeout, cancellationToken);
        await Task.WhenAll(asked.Values).ConfigureAwait(false);
        return Of(view, address => asked.TryGetValue(address, out var answer) ? answer.Result : null);
    }

    /// <summary>
    /// The snapshot of <paramref name="view"/>'s membership with each member's own answer as
    /// <paramref name="answerOf"/> gives it (null: no answer); the pools are those of the members that answered.
    /// </summary>
    public static ClusterSnapshot Of(NodeStatus view, Func<string, NodeStatus?> answerOf)
    {
        var answers = view.Members.Where(member => member.MayAnswer).Select(member => answerOf(member.Address)).OfType<NodeStatus>().ToArray();
        var members = view.Members.Select(member =>
        {
            var status = member.MayAnswer ? answerOf(member.Address) : null;
            // The member that downed another knows why; the contact may not be that member.
            var reason = member.Reason.Length > 0 ? member.Reason
                : answers.SelectMany(answer => answer.Members).FirstOrDefault(seen => seen.Address == member.Address && seen.Reason.Length > 0)?.Reason ?? "";
            return new MemberSnapshot(member.Address, member.Roles, member.Status, member.Reachable, status?.Pid, status?.Workers, reason);
        }).ToArray();
        var pools = answers.SelectMany(status => status.Pools.Select(pool => new PoolSnapshot(status.Address, pool))).ToArray();
        return new ClusterSnapshot(DateTimeOffset.UtcNow, view.Address, members, pools);
    }

    /// <summary>Asks the node at <paramref name="node"/> for its status; null when it did not answer within <paramref name="timeout"/>.</summary>
    public static async Task<NodeStatus?> AskAsync(ActorSystem observer, Address node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await observer.ActorSelection(NodeStatusActor.PathAt(node))
                .Ask<NodeStatus>(GetNodeStatus.Instance, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null; // unreachable, gone, or not a node of this project
        }
    }
}
