using Actors.Cluster;
using FsCheck.Xunit;

namespace Actors.Tests.Cluster;

/// <summary>
/// How a cluster pool's membership judges the workers of each member's host by the member's fate,
/// without an actor system: workers are named "member/n", members by name.
/// </summary>
public sealed class MemberHostsSpecs
{
    private readonly MemberHosts<string, string> _hosts = new();

    [Fact]
    public void A_worker_member_that_comes_up_is_asked_once_and_its_listed_workers_are_added()
    {
        var first = _hosts.MemberUp("a");
        var again = _hosts.MemberUp("a");
        var listed = _hosts.Listed("a", ["a/1", "a/2"]);
        var listedAgain = _hosts.Listed("a", ["a/1", "a/2"]);

        Assert.True(first);
        Assert.False(again);
        Assert.Equal([Change(WorkerChangeKind.Added, "a/1", "a/2")], Kinds(listed));
        Assert.Empty(listedAgain);
        Assert.Equal((2, 1), (_hosts.Count, _hosts.Nodes));
    }

    [Fact]
    public void A_listing_that_comes_after_its_member_left_adds_nothing()
    {
        _hosts.MemberUp("a");
        _hosts.Leaving("a");

        Assert.Empty(_hosts.Listed("a", ["a/1"]));
        Assert.False(_hosts.Wants("a"));
        Assert.Equal(0, _hosts.Count);
    }

    [Fact]
    public void An_unreachable_member_keeps_its_workers_suspended_until_it_is_downed_then_they_are_lost()
    {
        Serve("a", "a/1", "a/2");
        Serve("b", "b/1");

        var unreachable = _hosts.Unreachable("a");
        var downed = _hosts.Downed("a");
        var removed = _hosts.Removed("a", afterExiting: false);

        Assert.Equal([Change(WorkerChangeKind.Unreachable, "a/1", "a/2")], Kinds(unreachable));
        Assert.Equal([Change(WorkerChangeKind.Lost, "a/1", "a/2")], Kinds(downed));
        Assert.Contains("downed", downed[0].Reason, StringComparison.Ordinal);
        Assert.Empty(removed);
        Assert.Equal(1, _hosts.Count);
    }

    [Fact]
    public void A_member_reachable_again_gives_back_the_same_workers_since_nothing_replaced_them()
    {
        Serve("a", "a/1");
        _hosts.Unreachable("a");

        var reachable = _hosts.Reachable("a");

        Assert.Equal([Change(WorkerChangeKind.Added, "a/1")], Kinds(reachable));
        Assert.Equal(1, _hosts.Count);
    }

    [Fact]
    public void A_leaving_member_retires_its_workers_uncharged_at_once()
    {
        Serve("a", "a/1");
        Serve("b", "b/1");

        var leaving = _hosts.Leaving("a");
        var exited = _hosts.Leaving("a");
        var removed = _hosts.Removed("a", afterExiting: true);

        Assert.Equal([Change(WorkerChangeKind.Leaving, "a/1")], Kinds(leaving));
        Assert.Empty(exited);
        Assert.Empty(removed);
        Assert.Equal(1, _hosts.Nodes);
    }

    [Fact]
    public void An_unreachable_member_that_leaves_is_judged_by_its_removal()
    {
        Serve("a", "a/1");
        _hosts.Unreachable("a");

        var leaving = _hosts.Leaving("a");
        var removed = _hosts.Removed("a", afterExiting: false);

        Assert.Empty(leaving);
        Assert.Equal([Change(WorkerChangeKind.Lost, "a/1")], Kinds(removed));
    }

    [Fact]
    public void A_member_removed_after_exiting_lost_nothing()
    {
        Serve("a", "a/1");

        Assert.Equal([Change(WorkerChangeKind.Leaving, "a/1")], Kinds(_hosts.Removed("a", afterExiting: true)));
    }

    [Fact]
    public void A_worker_that_stops_is_lost_alone_and_the_host_is_asked_again_once_its_last_worker_stopped()
    {
        Serve("a", "a/1", "a/2");

        var first = _hosts.Terminated("a/1", "a");
        var wantsAfterFirst = _hosts.Wants("a");
        var last = _hosts.Terminated("a/2", "a");
        var relisted = _hosts.Listed("a", ["a/3"]);

        Assert.Equal([Change(WorkerChangeKind.Lost, "a/1")], Kinds(first));
        Assert.False(wantsAfterFirst);
        Assert.Equal([Change(WorkerChangeKind.Lost, "a/2")], Kinds(last));
        Assert.Equal([Change(WorkerChangeKind.Added, "a/3")], Kinds(relisted));
    }

    [Fact]
    public void A_host_listed_while_its_member_is_unreachable_is_added_and_suspended_at_once()
    {
        _hosts.MemberUp("a");
        _hosts.Unreachable("a");

        var listed = _hosts.Listed("a", ["a/1"]);

        Assert.Equal([Change(WorkerChangeKind.Added, "a/1"), Change(WorkerChangeKind.Unreachable, "a/1")], Kinds(listed));
    }

    /// <summary>
    /// For any sequence of member events and listings, a worker is reported gone (lost or leaving)
    /// at most once and only while it serves, is suspended only while it serves, and is added
    /// again only after it was suspended; the workers counted are exactly those serving.
    /// </summary>
    [Property(MaxTest = 300)]
    public void Every_worker_is_reported_gone_at_most_once_and_only_while_it_serves(int[] steps)
    {
        string[] nodes = ["a", "b", "c"];
        var hosts = new MemberHosts<string, string>();
        var serving = new HashSet<string>();
        var suspended = new HashSet<string>();
        var gone = new HashSet<string>();
        var generation = 0;
        var incarnations = nodes.ToDictionary(node => node, _ => 0);
        foreach (var step in steps ?? [])
        {
            var value = step & int.MaxValue;
            var node = nodes[value / 10 % nodes.Length];
            var changes = (value % 10) switch
            {
                0 => hosts.Listed(node, [Worker(node, generation), Worker(node, generation + 1)]),
                1 => Up(node),
                2 => hosts.Unreachable(node),
                3 => hosts.Reachable(node),
                4 => hosts.Leaving(node),
                5 => hosts.Downed(node),
                6 => hosts.Removed(node, afterExiting: value % 20 < 10),
                7 => Terminate(node),
                _ => Next(ref generation),
            };
            foreach (var change in changes)
            {
                foreach (var worker in change.Workers)
                {
                    switch (change.Kind)
                    {
                        case WorkerChangeKind.Added:
                            Assert.False(gone.Contains(worker), $"{worker} added after it was gone");
                            Assert.True(serving.Add(worker) || suspended.Remove(worker), $"{worker} added twice while serving");
                            break;
                        case WorkerChangeKind.Unreachable:
                            Assert.True(serving.Contains(worker) && suspended.Add(worker), $"{worker} suspended while not serving, or twice");
                            break;
                        default:
                            Assert.True(serving.Remove(worker), $"{worker} reported gone while not serving");
                            suspended.Remove(worker);
                            Assert.True(gone.Add(worker), $"{worker} reported gone twice");
                            break;
                    }
                }
            }
            Assert.Equal(serving.Count, hosts.Count);
        }

        // A member that comes up again is a new incarnation: its host's workers are new actors.
        IReadOnlyList<WorkerChange<string>> Up(string node)
        {
            if (hosts.MemberUp(node)) incarnations[node]++;
            return [];
        }

        // A host asked again after its last worker stopped has restarted: its workers are new actors.
        IReadOnlyList<WorkerChange<string>> Terminate(string node)
        {
            var changes = hosts.Terminated(Worker(node, generation), node);
            if (hosts.Wants(node)) incarnations[node]++;
            return changes;
        }

        string Worker(string node, int number) => $"{node}/{incarnations[node]}/{number}";

        IReadOnlyList<WorkerChange<string>> Next(ref int generation)
        {
            generation += 2; // a host that restarts lists new workers
            return [];
        }
    }

    private void Serve(string node, params string[] workers)
    {
        _hosts.MemberUp(node);
        _hosts.Listed(node, workers);
    }

    private static (WorkerChangeKind, string) Change(WorkerChangeKind kind, params string[] workers) => (kind, string.Join(",", workers));

    private static (WorkerChangeKind, string)[] Kinds(IEnumerable<WorkerChange<string>> changes) =>
        changes.Select(change => (change.Kind, string.Join(",", change.Workers))).ToArray();
}
