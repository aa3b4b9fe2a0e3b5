using Actors.Workers;
using Actors.Pool;
using Akka.Actor;

namespace Actors.Cluster;

/// <summary>One member as a watcher saw it: the membership as the contact that answered sees it, and the member's own counts when it answered.</summary>
/// <param name="Address">The member's address.</param>
/// <param name="Roles">Its roles.</param>
/// <param name="Status">Joining, WeaklyUp, Up, Leaving, Exiting or Down.</param>
/// <param name="Reachable">Whether the contact that answered can reach it.</param>
/// <param name="Pid">Its process id; null when it did not answer.</param>
/// <param name="Workers">What its pool workers are doing; null when it did not answer.</param>
internal sealed record MemberSnapshot(string Address, IReadOnlyList<string> Roles, string Status, bool Reachable, int? Pid, WorkerActivitySnapshot? Workers);

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
    /// Asks the first of <paramref name="contacts"/> that answers for the membership, then every
    /// member for its own status, each within <paramref name="timeout"/>.
    /// </summary>
    /// <param name="observer">Any actor system that can reach the members (same TLS authority when they run TLS).</param>
    /// <param name="contacts">Seeds, and members seen before: whoever answers first gives the membership.</param>
    public static async Task<ClusterSnapshot> TakeAsync(ActorSystem observer, IEnumerable<Address> contacts, TimeSpan timeout, CancellationToken cancellationToken)
    {
        NodeStatus? view = null;
        foreach (var contact in contacts.Distinct())
        {
            view = await AskAsync(observer, contact, timeout, cancellationToken).ConfigureAwait(false);
            if (view is not null) break;
        }
        if (view is null) return new ClusterSnapshot(DateTimeOffset.UtcNow, null, [], []);

        var answers = await Task.WhenAll(view.Members.Select(member => member.Address == view.Address
            ? Task.FromResult<NodeStatus?>(view)
            : AskAsync(observer, Akka.Actor.Address.Parse(member.Address), timeout, cancellationToken))).ConfigureAwait(false);
        var members = view.Members.Zip(answers, (member, status) =>
            new MemberSnapshot(member.Address, member.Roles, member.Status, member.Reachable, status?.Pid, status?.Workers)).ToArray();
        var pools = answers.OfType<NodeStatus>().SelectMany(status => status.Pools.Select(pool => new PoolSnapshot(status.Address, pool))).ToArray();
        return new ClusterSnapshot(DateTimeOffset.UtcNow, view.Address, members, pools);
    }

    private static async Task<NodeStatus?> AskAsync(ActorSystem observer, Address node, TimeSpan timeout, CancellationToken cancellationToken)
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
