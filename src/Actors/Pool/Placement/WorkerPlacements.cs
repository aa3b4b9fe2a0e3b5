using System.Collections.Concurrent;
using Actors.Configuration;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.Pool.Placement;

/// <summary>
/// The placements an actor system knows, by name, from <c>actors.placements</c> (each one the
/// assembly-qualified name of a <see cref="WorkerPlacement"/>), as Akka names its actor-ref
/// providers in configuration: a new placement is a folder and a line of HOCON, not edits across
/// the library.
/// </summary>
internal static class WorkerPlacements
{
    /// <summary>The HOCON path of the table of placements.</summary>
    public const string SectionPath = "actors.placements";

    private static readonly ConcurrentDictionary<string, WorkerPlacement> ByType = new(StringComparer.Ordinal);

    /// <summary>The placement <paramref name="mode"/> names in <paramref name="config"/> (with the library's reference.conf beneath it; null for that alone).</summary>
    /// <exception cref="ConfigException">No placement has that name, or its type cannot be made.</exception>
    public static WorkerPlacement Named(string mode, Config? config)
    {
        var table = (config ?? Config.Empty).WithFallback(ActorsConfig.Defaults).GetConfig(SectionPath);
        var key = mode.Trim().ToLowerInvariant();
        var typeName = table?.GetString(key, null);
        if (string.IsNullOrWhiteSpace(typeName))
        {
            var known = table is null ? [] : table.AsEnumerable().Select(entry => entry.Key).Order(StringComparer.Ordinal).ToArray();
            throw new ConfigException($"{PoolSettings.SectionPath}.mode = {mode}: no such placement ({SectionPath} knows {string.Join(", ", known)})");
        }
        return ByType.GetOrAdd(typeName, Create);
    }

    /// <summary>Every placement of the library (its reference.conf lists them all).</summary>
    public static IEnumerable<WorkerPlacement> All() =>
        ActorsConfig.Defaults.GetConfig(SectionPath).AsEnumerable().Select(entry => Named(entry.Key, null));

    /// <summary>The placement of a pool whose settings are <paramref name="settings"/>, in <paramref name="system"/>.</summary>
    public static WorkerPlacement For(ActorSystem system, PoolSettings settings) => Named(settings.Mode, system.Settings.Config);

    /// <summary>
    /// Creates an actor system for the placement <c>actors.pool.mode</c> names in <paramref name="config"/>:
    /// the one way to make a system for any mode (local threads, worker processes over TLS, a cluster member).
    /// </summary>
    /// <exception cref="ConfigException">A setting is invalid (the message names its key).</exception>
    public static ActorSystem CreateSystem(Config config, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var placement = Named(config.WithFallback(ActorsConfig.Defaults).GetString($"{PoolSettings.SectionPath}.mode", "local"), config);
        return placement.CreateSystem(name ?? placement.DefaultSystemName, config);
    }

    private static WorkerPlacement Create(string typeName)
    {
        var type = Type.GetType(typeName, throwOnError: false)
            ?? throw new ConfigException($"{SectionPath}: type '{typeName}' cannot be loaded");
        if (!typeof(WorkerPlacement).IsAssignableFrom(type))
            throw new ConfigException($"{SectionPath}: '{typeName}' is not a {nameof(WorkerPlacement)}");
        return (WorkerPlacement)Activator.CreateInstance(type, nonPublic: true)!;
    }
}
