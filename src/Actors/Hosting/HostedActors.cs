using System.Collections.Concurrent;
using Actors.Pool;
using Actors.Pool.Placement;
using Actors.Security;
using Akka.Actor;
using Akka.Event;
using Akka.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Actors.Hosting;

/// <summary>
/// The worker pools and buffers an application host runs, by name: what <see cref="IWorkerPool"/>
/// and the buffer resolve to when injected. Each is created once, when the host starts (or when it
/// is first injected, if that comes earlier), in the host's actor system. Stopping the host drains
/// the pools in CoordinatedShutdown's <c>service-requests-done</c> phase: calls still running finish
/// (within that phase's timeout), then the pools stop and their worker processes with them.
/// </summary>
public sealed partial class HostedActors : IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly ConcurrentDictionary<string, Lazy<WorkerPool>> _pools = new(StringComparer.Ordinal);
    private readonly object _attachLock = new();
    private ActorSystem? _system;

    /// <summary>Created by the container (<see cref="ActorsServiceCollectionExtensions.AddActors"/>).</summary>
    public HostedActors(IOptions<ActorsOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        _services = services;
    }

    /// <summary>The options the pools and buffers are made from.</summary>
    public ActorsOptions Options { get; }

    /// <summary>The names of the pools.</summary>
    public IReadOnlyCollection<string> PoolNames => Options.Pools.Keys;

    /// <summary>The TLS policy of the host's actor system, when its wire runs TLS (set as the system is configured).</summary>
    internal TlsPolicy? Policy { get; set; }

    /// <summary>The pool named <paramref name="name"/>, or the default pool when it is null.</summary>
    /// <exception cref="InvalidOperationException">There is no such pool, or no default among several; the message lists the pools.</exception>
    public IWorkerPool Pool(string? name = null)
    {
        var chosen = Choose(name, Options.DefaultPool, Options.Pools.Keys, "pool", "Pools", "DefaultPool");
        return _pools.GetOrAdd(chosen, key => new Lazy<WorkerPool>(() => CreatePool(key))).Value;
    }

    /// <summary>The settings the pool named <paramref name="name"/> runs with: its options over the actor system's HOCON.</summary>
    public PoolSettings SettingsOf(string name) =>
        HostedPools.Settings(Options.Pools[Choose(name, null, Options.Pools.Keys, "pool", "Pools", "DefaultPool")], System.Settings.Config);

    private ActorSystem System => _system ?? Attach(_services.GetRequiredService<ActorSystem>());

    /// <summary>Creates every pool and buffer; Akka.Hosting runs it once the actor system has started.</summary>
    internal void Start(ActorSystem system)
    {
        Attach(system);
        foreach (var name in Options.Pools.Keys) Pool(name);
        foreach (var name in Options.Buffers.Keys) BufferNamed(name);
    }

    /// <summary>Before the system's first pool: its TLS credentials in place, and the drain registered with its shutdown.</summary>
    private ActorSystem Attach(ActorSystem system)
    {
        lock (_attachLock)
        {
            if (_system is not null) return _system;
            Policy?.Attach(system);
            var shutdown = CoordinatedShutdown.Get(system);
            shutdown.AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "actors-drain-pools",
                () => DrainAsync(shutdown.Timeout(CoordinatedShutdown.PhaseServiceRequestsDone)));
            return _system = system;
        }
    }

    private WorkerPool CreatePool(string name)
    {
        var system = System;
        var options = Options.Pools[name];
        var settings = HostedPools.Settings(options, system.Settings.Config);
        var provider = ((ExtendedActorSystem)system).Provider;
        var needed = WorkerPlacements.Named(settings.Mode, system.Settings.Config).RequiredProvider;
        if (HostedPools.MissingProvider(needed, provider is Akka.Cluster.ClusterActorRefProvider ? "cluster" : provider is Akka.Remote.RemoteActorRefProvider ? "remote" : "local"))
            throw new InvalidOperationException(
                $"pool '{name}' runs in {settings.Mode} mode, which needs akka.actor.provider = {needed}: set {ActorsOptions.SectionName}:Mode = {settings.Mode}.");
        return WorkerPool.Create(system, name, HostedPools.Router(options, system, name), settings);
    }

    /// <summary>Lets running calls finish, within <paramref name="timeout"/>; then every pool stops.</summary>
    private async Task<Akka.Done> DrainAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await Task.WhenAll(CreatedPools().Select(async pool =>
        {
            try
            {
                await pool.CompleteAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _system?.Log.Warning("pool '{0}': calls still running after {1} (akka.coordinated-shutdown.phases.service-requests-done.timeout); stopped", pool.Name, timeout);
            }
        })).ConfigureAwait(false);
        return Akka.Done.Instance;
    }

    private IEnumerable<WorkerPool> CreatedPools() =>
        _pools.Values.Where(pool => pool.IsValueCreated).Select(pool => pool.Value);

    /// <summary>Stops every pool now (calls still running end); stopping the host drains them first.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var pool in CreatedPools()) await pool.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The pool to inject: keyed by name, and the default one without a key.</summary>
    internal static void RegisterPools(IServiceCollection services)
    {
        services.TryAddKeyedSingleton<IWorkerPool>(KeyedService.AnyKey, (provider, key) => provider.GetRequiredService<HostedActors>().Pool(KeyText(key)));
        services.TryAddSingleton<IWorkerPool>(provider => provider.GetRequiredService<HostedActors>().Pool());
    }

    private static string KeyText(object? key) =>
        key as string ?? throw new InvalidOperationException($"pools and buffers are injected by their name (a string), not by {key ?? "null"}.");

    private static string Choose(string? name, string? defaultName, IReadOnlyCollection<string> names, string kind, string section, string defaultKey)
    {
        var chosen = name ?? defaultName ?? (names.Count == 1 ? names.First() : null);
        if (chosen is not null && names.Contains(chosen)) return chosen;
        var known = names.Count == 0 ? "none is configured" : "they are " + string.Join(", ", names.Order(StringComparer.Ordinal));
        throw new InvalidOperationException(chosen is null
            ? $"several {kind}s and no default: inject one by name ([FromKeyedServices(\"NAME\")]) or set {ActorsOptions.SectionName}:{defaultKey} ({known})."
            : $"no {kind} named '{chosen}': {known} ({ActorsOptions.SectionName}:{section}, or Add… in AddActors).");
    }
}

/// <summary>How a hosted pool's options become its settings and router.</summary>
internal static class HostedPools
{
    /// <summary>The pool's options over <paramref name="config"/>'s <c>actors.pool</c>, read and checked by <see cref="Pool.PoolSettings.Create"/>.</summary>
    public static PoolSettings Settings(ActorsPoolOptions options, Akka.Configuration.Config config) =>
        Pool.PoolSettings.Create(options.ToHocon().ToConfig().WithFallback(config));

    /// <summary>Whether <paramref name="provider"/> (<c>local</c>, <c>remote</c>, <c>cluster</c>) falls short of the <paramref name="needed"/> one (a cluster provider also remotes).</summary>
    public static bool MissingProvider(string needed, string provider) => (needed, provider.Trim().ToLowerInvariant()) switch
    {
        ("remote", "local" or "") => true,
        ("cluster", not "cluster") => true,
        _ => false,
    };

    /// <summary>
    /// The router the options ask for; else null, to keep <c>akka.actor.deployment./NAME</c> when
    /// that configures a pool router; else round-robin with one worker per core.
    /// </summary>
    public static Akka.Routing.Pool? Router(ActorsPoolOptions options, ActorSystem system, string name)
    {
        if (options.Router is null && options.Routees is null)
        {
            var configured = ((ExtendedActorSystem)system).Provider.Deployer.Lookup([name]);
            if (configured?.RouterConfig is Akka.Routing.Pool) return null;
        }
        var routees = options.Routees ?? Environment.ProcessorCount;
        return RouterKind(options.Router) switch
        {
            "smallest-mailbox" => new SmallestMailboxPool(routees),
            _ => new RoundRobinPool(routees),
        };
    }

    /// <summary>The router's kind (<c>round-robin</c> or <c>smallest-mailbox</c>, with or without <c>-pool</c>); null for anything else.</summary>
    public static string? RouterKind(string? router) => router?.Trim().ToLowerInvariant() switch
    {
        null or "round-robin" or "round-robin-pool" => "round-robin",
        "smallest-mailbox" or "smallest-mailbox-pool" => "smallest-mailbox",
        _ => null,
    };
}
