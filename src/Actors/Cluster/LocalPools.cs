using System.Collections.Concurrent;
using Akka.Actor;

namespace Actors.Cluster;

/// <summary>
/// The managers of the cluster-mode pools in this actor system, so that the node's status (what
/// <c>actors cluster status</c> shows) can include what each pool is doing. Each pool's cluster
/// membership registers its manager while it runs.
/// </summary>
internal sealed class LocalPools : IExtension
{
    private readonly ConcurrentDictionary<IActorRef, string> _managers = new();

    public static LocalPools For(ActorSystem system) => system.WithExtension<LocalPools, Provider>();

    /// <summary>The managers now, with their pools' names.</summary>
    public IReadOnlyCollection<KeyValuePair<IActorRef, string>> Managers => _managers.ToArray();

    public void Add(IActorRef manager) => _managers[manager] = manager.Path.Name;

    public void Remove(IActorRef manager) => _managers.TryRemove(manager, out _);

    private sealed class Provider : ExtensionIdProvider<LocalPools>
    {
        public override LocalPools CreateExtension(ExtendedActorSystem system) => new();
    }
}
