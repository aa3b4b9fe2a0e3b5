using Actors.Cluster;
using FsCheck.Xunit;

namespace Actors.Tests.Cluster;

/// <summary>
/// How a cluster pool's membership judges routees by their member's fate, without an actor system:
/// routees are named "member/routee", members by name.
/// </summary>
public sealed class MemberRouteesSpecs
{
    private readonly MemberRoutees<string, string> _routees = new(worker => worker.Split('/')[0]);

    [Fact]
    public void Routees_listed_on_a_member_in_good_standing_are_added_once()
    {
        var first = _routees.Listed(["a/1", "b/1"]);
        var again = _routees.Listed(["a/1", "b/1", "b/2"]);

        Assert.Equal([Change(WorkerChangeKind.Added, "a/1", "b/1")], Kinds(first));
        Assert.Equal([Change(WorkerChangeKind.Added, "b/2")], Kinds(again));
        Assert.Equal((3, 2), (_routees.Count, _routees.Nodes));
    }

    [Fact]
    public void An_unreachable_member_keeps_its_routees_suspended_until_it_is_downed_then_they_are_lost()
    {
        _routees.Listed(["a/1", "a/2", "b/1"]);

        var unreachable = _routees.Unreachable("a");
        var listedWithout = _routees.Listed(["b/1"]); // the router dropped a's routees
        var downed = _routees.Downed("a");
        var removed = _routees.Removed("a", afterExiting: false);

        Assert.Equal([Change(WorkerChangeKind.Unreachable, "a/1", "a/2")], Kinds(unreachable));
        Assert.Empty(listedWithout);
        Assert.Equal([Change(WorkerChangeKind.Lost, "a/1", "a/2")], Kinds(downed));
        Assert.Contains("downed", downed[0].Reason, StringComparison.Ordinal);
        Assert.Empty(removed);
        Assert.Equal(1, _routees.Count);
    }

    [Fact]
    public void A_member_reachable_again_retires_its_old_routees_uncharged_and_its_new_ones_are_added()
    {
        _routees.Listed(["a/1", "b/1"]);
        _routees.Unreachable("a");

        var reachable = _routees.Reachable("a");
        var redeployed = _routees.Listed(["b/1", "a/2"]);

        Assert.Equal([Change(WorkerChangeKind.Leaving, "a/1")], Kinds(reachable));
        Assert.Equal([Change(WorkerChangeKind.Added, "a/2")], Kinds(redeployed));
    }

    [Fact]
    public void A_leaving_member_retires_its_routees_uncharged_at_once()
    {
        _routees.Listed(["a/1", "b/1"]);

        var leaving = _routees.Leaving("a");
        var exited = _routees.Leaving("a");
        var removed = _routees.Removed("a", afterExiting: true);

        Assert.Equal([Change(WorkerChangeKind.Leaving, "a/1")], Kinds(leaving));
        Assert.Empty(exited);
        Assert.Empty(removed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_member_leaving_while_unreachable_is_judged_by_how_it_is_removed(bool afterExiting)
    {
        var verdict = afterExiting ? WorkerChangeKind.Leaving : WorkerChangeKind.Lost;
        _routees.Listed(["a/1"]);
        _routees.Unreachable("a");

        var leaving = _routees.Leaving("a");
        var removed = _routees.Removed("a", afterExiting);

        Assert.Empty(leaving);
        Assert.Equal([Change(verdict, "a/1")], Kinds(removed));
    }

    [Fact]
    public void A_routee_the_router_stopped_listing_is_suspended_until_an_event_explains_it()
    {
        _routees.Listed(["a/1", "b/1"]);

        var missing = _routees.Listed(["b/1"]);
        var leaving = _routees.Leaving("a");

        Assert.Equal([Change(WorkerChangeKind.Unreachable, "a/1")], Kinds(missing));
        Assert.Equal([Change(WorkerChangeKind.Leaving, "a/1")], Kinds(leaving));
    }

    [Fact]
    public void A_stale_listing_never_adds_a_routee_reported_gone()
    {
        _routees.Listed(["a/1"]);
        _routees.Downed("a");
        _routees.MemberUp("a"); // a new incarnation at the same address

        var stale = _routees.Listed(["a/1"]);
        var fresh = _routees.Listed(["a/2"]);

        Assert.Empty(stale);
        Assert.Equal([Change(WorkerChangeKind.Added, "a/2")], Kinds(fresh));
    }

    [Fact]
    public void Routees_listed_on_a_departed_or_unreachable_member_are_not_added()
    {
        _routees.Leaving("a");
        _routees.Unreachable("b");

        Assert.Empty(_routees.Listed(["a/1", "b/1"]));
        Assert.Equal(0, _routees.Count);
    }

    [Fact]
    public void A_terminated_routee_is_lost_on_a_reachable_member_and_retires_on_an_unreachable_one()
    {
        _routees.Listed(["a/1", "b/1"]);
        _routees.Unreachable("b");

        var onReachable = _routees.Terminated("a/1");
        var onUnreachable = _routees.Terminated("b/1");
        var unknown = _routees.Terminated("c/1");

        Assert.Equal([Change(WorkerChangeKind.Lost, "a/1")], Kinds(onReachable));
        Assert.Equal([Change(WorkerChangeKind.Leaving, "b/1")], Kinds(onUnreachable));
        Assert.Empty(unknown);
    }

    [Fact]
    public void A_stopped_router_retires_every_routee()
    {
        _routees.Listed(["a/1", "b/1"]);

        Assert.Equal([Change(WorkerChangeKind.Leaving, "a/1", "b/1")], Kinds(_routees.RouterStopped()));
        Assert.Equal(0, _routees.Count);
    }

    /// <summary>
    /// For any sequence of listings and member events, every routee is added at most once, told
    /// unreachable at most once, reported gone (lost or leaving) at most once and only after it
    /// was added, and the routees counted are exactly those added and not gone. As a real router,
    /// the listings may go on naming a routee reported gone for a while, but once one has left it
    /// out, none names it again.
    /// </summary>
    [Property(MaxTest = 300)]
    public void Every_routee_is_added_once_and_reported_gone_at_most_once(int[] steps)
    {
        string[] nodes = ["a", "b", "c"];
        var routees = new MemberRoutees<string, string>(worker => worker.Split('/')[0]);
        var added = new HashSet<string>();
        var gone = new HashSet<string>();
        var suspended = new HashSet<string>();
        var dropped = new HashSet<string>();
        var generation = 0;
        IReadOnlyList<WorkerChange<string>> List(IEnumerable<string> listed)
        {
            var names = listed.Where(name => !dropped.Contains(name)).ToArray();
            dropped.UnionWith(gone.Except(names));
            return routees.Listed(names);
        }
        foreach (var step in steps ?? [])
        {
            var value = step & int.MaxValue;
            var node = nodes[value / 10 % nodes.Length];
            var changes = (value % 10) switch
            {
                0 => List(nodes.SelectMany(n => new[] { $"{n}/{generation}", $"{n}/{generation + 1}" })),
                1 => List(nodes.Where(n => n != node).Select(n => $"{n}/{generation}")),
                2 => routees.Unreachable(node),
                3 => routees.Reachable(node),
                4 => routees.Leaving(node),
                5 => routees.Downed(node),
                6 => routees.Removed(node, afterExiting: value % 20 < 10),
                7 => routees.MemberUp(node),
                8 => routees.Terminated($"{node}/{generation}"),
                _ => Next(ref generation),
            };
            foreach (var change in changes)
            {
                foreach (var worker in change.Workers)
                {
                    switch (change.Kind)
                    {
                        case WorkerChangeKind.Added:
                            Assert.True(added.Add(worker), $"{worker} added twice");
                            break;
                        case WorkerChangeKind.Unreachable:
                            Assert.True(added.Contains(worker) && !gone.Contains(worker), $"{worker} suspended while not serving");
                            Assert.True(suspended.Add(worker), $"{worker} suspended twice");
                            break;
                        default:
                            Assert.True(added.Contains(worker), $"{worker} reported gone before it was added");
                            Assert.True(gone.Add(worker), $"{worker} reported gone twice");
                            break;
                    }
                }
            }
            Assert.Equal(added.Count - gone.Count, routees.Count);
        }

        IReadOnlyList<WorkerChange<string>> Next(ref int generation)
        {
            generation++; // the router replaced its routees: later listings name new ones
            return List([]);
        }
    }

    private static (WorkerChangeKind, string) Change(WorkerChangeKind kind, params string[] workers) => (kind, string.Join(",", workers));

    private static (WorkerChangeKind, string)[] Kinds(IEnumerable<WorkerChange<string>> changes) =>
        changes.Select(change => (change.Kind, string.Join(",", change.Workers))).ToArray();
}
