using System.Diagnostics;
using Actors.Configuration;
using Actors.Security;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.IntegrationTests;

/// <summary>Configuration for a pool whose workers run in real worker processes, and checks on processes.</summary>
internal static class ProcessPool
{
    /// <summary>The ephemeral credentials the specs' pools run their wire with, as a pool's system would make them.</summary>
    public static readonly TlsPolicy Tls = TlsPolicy.Ephemeral("integration-specs");

    /// <summary>An actor system whose wire runs <see cref="Tls"/>, for specs that are not a TestKit.</summary>
    public static ActorSystem CreateSystem(string name, Config config) => Tls.CreateActorSystem(name, config);

    public static Config Config(int processes, params string[] overrides) => ActorsConfig.Load(new ConfigOptions
    {
        Mode = "processes",
        Overrides =
        [
            $"actors.pool.processes.count = {processes}",
            "akka.actor.deployment./pool { router = round-robin-pool, nr-of-instances = 1 }",
            "akka.loglevel = INFO",
            "akka.loggers = [\"Akka.TestKit.TestEventListener, Akka.TestKit\"]",
            .. overrides,
        ],
    });

    /// <summary>The job assemblies setting that lets workers run this test assembly's jobs.</summary>
    public static string WithTestJobs => $"actors.pool.processes.assemblies = [\"{typeof(SpinJob).Assembly.Location}\"]";

    public static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Processes whose parent is <paramref name="parentPid"/> (Linux /proc).</summary>
    public static IReadOnlyList<int> ChildrenOf(int parentPid)
    {
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == parentPid) children.Add(pid);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        return children;
    }

    public static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }
}
