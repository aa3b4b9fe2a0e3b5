using System.Reflection;
using Akka.Actor;

namespace Actors.Processes;

/// <summary>What processes mode's memberships share: which of them a pool has, and what a started host loads.</summary>
internal static class WorkerHosts
{
    /// <summary>The membership children of a pool in processes mode: worker processes it starts, listed nodes, or both.</summary>
    public static IReadOnlyList<Props> Memberships(ProcessSettings settings)
    {
        var memberships = new List<Props>();
        if (settings.Spawn) memberships.Add(WorkerProcesses.Props(settings));
        if (settings.Nodes.Count > 0) memberships.Add(WorkerNodes.Props(settings));
        return memberships;
    }

    /// <summary>The workers a pool in processes mode expects once every host is up.</summary>
    public static int ExpectedWorkers(ProcessSettings settings) =>
        ((settings.Spawn ? settings.EffectiveCount : 0) + settings.Nodes.Count) * settings.WorkersPerProcess;

    /// <exception cref="InvalidOperationException">The actor system has no remoting.</exception>
    public static void RequireRemoting(ActorSystem system)
    {
        if (system is not ExtendedActorSystem { Provider: Akka.Remote.RemoteActorRefProvider })
            throw new InvalidOperationException(
                "actors.pool.mode = processes needs remoting: set akka.actor.provider = remote (config/processes.hocon does).");
    }

    /// <summary>
    /// The assemblies a started host loads: the configured ones, and, as Python's spawn re-imports
    /// the main module, the application's own entry assembly, so that its jobs resolve there too.
    /// </summary>
    public static IReadOnlyList<string> JobAssemblies(ProcessSettings settings)
    {
        var paths = settings.Assemblies.Select(Path.GetFullPath).ToList();
        var entry = Assembly.GetEntryAssembly();
        if (entry is { Location.Length: > 0 } && entry.GetName().Name is not "testhost" && !paths.Contains(entry.Location))
            paths.Add(entry.Location);
        return paths;
    }
}
