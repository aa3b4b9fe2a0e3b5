using Actors.Pool.Placement;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.Pool;

/// <summary>
/// The one way to create an actor system for pools in any mode: the placement that
/// <c>actors.pool.mode</c> names makes it as it needs it — a plain system for threads, a system whose
/// wire runs TLS with credentials it can hand to its worker processes, or a cluster member (whose
/// worker role, if it has it, hosts workers). Akka.Hosting users get the same from <c>AddActors</c>.
/// </summary>
/// <example><code>
/// var config = ActorsConfig.Load(new ConfigOptions { Mode = "processes" });
/// using var system = PoolSystem.Create(config);
/// await using var pool = WorkerPool.Create(system, "squares");
/// </code></example>
public static class PoolSystem
{
    /// <summary>Creates the actor system that the mode of <paramref name="config"/> needs.</summary>
    /// <param name="config">The whole configuration (<c>ActorsConfig.Load</c>).</param>
    /// <param name="name">The system's name; by default <c>actors</c> (every member of one cluster shares it).</param>
    /// <exception cref="Configuration.ConfigException">A setting is invalid (the message names its key), or the mode names no placement.</exception>
    public static ActorSystem Create(Config config, string? name = null) => WorkerPlacements.CreateSystem(config, name);
}
