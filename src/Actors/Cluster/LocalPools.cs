using System.Collections.Concurrent;
using Akka.Actor;

namespace Actors.Cluster;

/// <summary>
/// The managers of the cluster-mode pools in this actor system, so that the node's status (what
/// <c>actors cluster status</c> shows) lists this node's pools: the library's meter is one per
/// process, and a process may run several actor systems (an app's, a test's in-process cluster).
/// What each pool is doing is read from the meter under its name (the manager's name). Each pool's
/// cluster membership registers its manager while it runs.
/// </summary>
internal sealed class LocalPools : IExtension
{
    private readonly ConcurrentDictionary<IActorRef, string> _managers = new();

    public static LocalPools For(ActorSystem system) => system.WithExtension<LocalPools, Provider>();

    /// <summary>The names of the pools whose managers run in this system now.</summary>
    public IReadOnlySet<string> Names => _managers.Values.ToHashSet(StringComparer.Ordinal);

    public void Add(IActorRef manager) => _managers[manager] = manager.Path.Name;

    public void Remove(IActorRef manager) => _managers.TryRemove(manager, out _);

    private sealed class Provider : ExtensionIdProvider<LocalPools>
    {
        public override LocalPools CreateExtension(ExtendedActorSystem system) => new();
    }
}
