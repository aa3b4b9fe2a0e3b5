using Akka.Actor;
using Akka.Configuration;

namespace Actors.Pool.Placement;

/// <summary>
/// Where a pool's workers live: on threads of this process, in worker processes the pool starts,
/// on listed nodes, on cluster members. Each placement lives in a folder of its own and owns what it
/// needs — the actor system it requires, how its worker hosts come to exist and how the pool finds
/// them (its memberships), and how many workers to expect — so that the pool's core names none of
/// them. <c>actors.pool.mode</c> chooses one by name from <c>actors.placements</c>.
/// </summary>
internal abstract class WorkerPlacement
{
    /// <summary>The <c>akka.actor.provider</c> an actor system needs for this placement: <c>local</c>, <c>remote</c> or <c>cluster</c>.</summary>
    public abstract string RequiredProvider { get; }

    /// <summary>Whether the workers share this process's memory, so a map may write outputs in place and nothing crosses a wire.</summary>
    public virtual bool InProcess => false;

    /// <summary>The least <c>nr-of-instances</c> a pool's router may have (a cluster router reads 0 as "the per-member maximum").</summary>
    public virtual int LeastRouterSize => 1;

    /// <summary>The name of a system created for this placement when the caller gives none.</summary>
    public virtual string DefaultSystemName => "actors";

    /// <summary>Creates an actor system that meets this placement's requirements (its provider, its wire's credentials) from <paramref name="config"/>.</summary>
    /// <exception cref="Configuration.ConfigException">A setting the placement needs is invalid.</exception>
    public virtual ActorSystem CreateSystem(string name, Config config) => ActorSystem.Create(name, config);

    /// <summary>Checks the placement's own settings in <paramref name="settings"/>' section (<c>actors.pool.processes</c>, …).</summary>
    /// <exception cref="Configuration.ConfigException">A value is invalid (the message names its key).</exception>
    public virtual void CheckSettings(PoolSettings settings) { }

    /// <summary>
    /// Checks that <paramref name="request"/>'s actor system can run this placement, and plans the
    /// pool's memberships: the children of its manager that tell it which workers there are.
    /// </summary>
    /// <exception cref="ArgumentException">The router does not suit this placement.</exception>
    /// <exception cref="InvalidOperationException">The actor system does not meet <see cref="RequiredProvider"/> or lacks credentials.</exception>
    public abstract PlacementPlan Plan(PlacementRequest request);
}

/// <summary>What a placement is asked to place: a pool, its router (the kind and size of its worker set) and its settings.</summary>
/// <param name="System">The actor system the pool's manager runs in.</param>
/// <param name="PoolName">The pool's name.</param>
/// <param name="Router">The pool router the user configured or gave in code.</param>
/// <param name="Settings">The pool's settings; <see cref="PoolSettings.Section"/> holds the placement's own subsection.</param>
internal sealed record PlacementRequest(ActorSystem System, string PoolName, Akka.Routing.Pool Router, PoolSettings Settings);

/// <summary>A placement's answer: the pool's membership children, and what to expect of them.</summary>
/// <param name="Memberships">The props of the manager's membership children.</param>
/// <param name="ExpectedWorkers">The workers to size a first map for, before any has reported.</param>
/// <param name="ReadyTimeout">How long <see cref="WorkerPool.WhenReadyAsync"/> waits by default for every expected worker.</param>
internal sealed record PlacementPlan(IReadOnlyList<Props> Memberships, int ExpectedWorkers, TimeSpan ReadyTimeout);
