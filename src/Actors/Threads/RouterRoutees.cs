using Akka.Actor;
using Akka.Routing;

namespace Actors.Threads;

/// <summary>The routees a router listed in answer to query <paramref name="Query"/>; null when it did not answer in time.</summary>
internal sealed record RouteesListed(long Query, IReadOnlyList<IActorRef>? Routees) : INoSerializationVerificationNeeded;

/// <summary>
/// A pool router owned by a membership actor: creates it from its configuration, creates it anew
/// when it stops (a pool router stops itself once its last routee is gone), and turns the routee
/// lists it reports into what was added and what is gone since the last one.
/// </summary>
internal sealed class RouterRoutees(IActorContext context, Akka.Routing.Pool config, Props routee, TimeSpan askTimeout)
{
    private readonly HashSet<IActorRef> _known = new();
    /// <summary>Queries sent; answers to older ones (or to a router since replaced) are stale.</summary>
    private long _queries;
    private long _latestAnswered;

    /// <summary>The router; its routees take chunks directly from the manager, it only creates and supervises them.</summary>
    public IActorRef Router { get; private set; } = ActorRefs.Nobody;

    /// <summary>The routees as last listed.</summary>
    public IReadOnlyCollection<IActorRef> Known => _known;

    public void Start()
    {
        Router = context.ActorOf(routee.WithRouter(config), "workers");
        context.Watch(Router);
    }

    /// <summary>Starts a new router in place of one that stopped; returns the routees the old one had.</summary>
    public IReadOnlyList<IActorRef> Restart()
    {
        _latestAnswered = _queries; // queries to the old router will never be answered
        var lost = _known.ToArray();
        _known.Clear();
        Start();
        return lost;
    }

    /// <summary>Asks the router for its routees; the answer comes to <paramref name="self"/> as <see cref="RouteesListed"/>.</summary>
    public void Query(IActorRef self)
    {
        var query = ++_queries;
        // Asked, not told: Akka's Routees reply never leaves the process and has no serializer, so
        // under serialize-messages it could not be told to an actor.
        Router.Ask<Routees>(GetRoutees.Instance, askTimeout).PipeTo(self,
            success: routees => new RouteesListed(query, routees.Members.OfType<ActorRefRoutee>().Select(r => r.Actor).ToArray()),
            failure: _ => new RouteesListed(query, null));
    }

    /// <summary>What changed since the last fresh listing; null for a stale or failed one.</summary>
    public (IReadOnlyList<IActorRef> Added, IReadOnlyList<IActorRef> Gone)? Update(RouteesListed listed)
    {
        if (listed.Routees is not { } routees || listed.Query <= _latestAnswered) return null;
        _latestAnswered = listed.Query;
        var now = routees.ToHashSet();
        var gone = _known.Where(known => !now.Contains(known)).ToArray();
        var added = routees.Where(_known.Add).ToArray();
        _known.ExceptWith(gone);
        return (added, gone);
    }
}
