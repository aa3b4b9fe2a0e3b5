using System.Globalization;
using Actors.Cluster;
using Actors.Configuration;
using Actors.Protocol;
using Actors.Security;

namespace Actors.Cli.Commands;

/// <summary>
/// <c>actors cluster up</c>: starts a seed, then the worker nodes, as processes of this machine
/// (each told this process's id, so none outlives it), prints how to submit work, watches them
/// live, and on Ctrl+C or SIGTERM stops them all in order — each leaves the cluster — killing any
/// that takes too long.
/// </summary>
internal static class ClusterUp
{
    /// <summary>What to start.</summary>
    /// <param name="Folder">Where certificates and node settings go; null for a temporary folder removed on exit.</param>
    /// <param name="ConfigFile">The user's <c>--config</c>, passed on to every node.</param>
    /// <param name="Restart">Whether a worker node that dies is started again (<see cref="ClusterUpRestarts"/>); off with <c>--no-restart</c>. Its member is downed at once either way.</param>
    public sealed record Plan(int Workers, string Hostname, int SeedPort, string? Folder, string? ConfigFile, bool Restart = true);

    /// <summary>How long a node may take to print its address, and to leave and exit when asked.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(Plan plan, CancellationToken cancellationToken)
    {
        var config = ActorsConfig.Load(new ConfigOptions { Mode = ClusterSubmitter.Mode, File = plan.ConfigFile });
        var settings = ClusterModeSettings.Create(config);
        var stopTimeout = settings.JoinTimeout; // leaving takes a few gossip rounds; as long as joining may take
        var folder = plan.Folder ?? Path.Combine(Path.GetTempPath(), $"actors-cluster-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        // The nodes' certificates are made here: only whether TLS is on is read, not the (absent) files.
        var credentials = ClusterDevCredentials.Create(folder, plan.ConfigFile, SeedAddresses.RunsTls(config));
        var nodes = new List<ClusterNodeProcess>();
        try
        {
            string[] hosts = [plan.Hostname];
            var seed = Start(nodes, "seed", ["--role", ClusterNodeOptions.SeedRole, WorkerHostArguments.PortOption, Text(plan.SeedPort)], credentials.ConfigFor("seed", hosts), plan);
            var seedAddress = await seed.AddressAsync(StartTimeout, cancellationToken);
            ClusterNodeProcess StartWorker(string name) =>
                StartNode(name, ["--role", ClusterNodeOptions.WorkerRole, ClusterNodeCommand.SeedsOption, seedAddress], credentials.ConfigFor(name, hosts), plan);
            for (var i = 1; i <= plan.Workers; i++) nodes.Add(StartWorker($"worker-{i}"));
            foreach (var node in nodes) await node.AddressAsync(StartTimeout, cancellationToken);

            var client = credentials.ConfigFor("client", hosts);
            Console.WriteLine($"seed: {seedAddress}");
            Console.WriteLine($"nodes: {string.Join(", ", nodes.Select(n => $"{n.Name} (pid {n.Pid})"))}");
            Console.WriteLine($"client config: {client}");
            Console.WriteLine($"submit work: actors map --mode cluster --seeds {seedAddress} --config {client} --job square --range 0..100000");
            Console.WriteLine($"status: actors cluster status --seeds {seedAddress} --config {client} --once --json");
            Console.WriteLine("Ctrl+C stops every node; a second Ctrl+C exits at once.");

            await using var observer = ClusterObserver.Start(ActorsConfig.Load(new ConfigOptions { Mode = ClusterSubmitter.Mode, File = client }),
                SeedAddresses.Parse([seedAddress], credentials.Tls));
            using var restarting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var restarts = new ClusterUpRestarts(nodes, plan.Restart ? StartWorker : null, observer.DownExitedAsync).RunAsync(restarting.Token);
            await ClusterCommand.WatchAsync(observer, nodes, settings.RefreshInterval, cancellationToken);
            await restarting.CancelAsync();
            await restarts;
            return CommandLine.Ok;
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"cluster up failed: {e.Message}");
            // A node refused its options (a taken port above all): the command was given something it cannot do.
            return nodes.Any(node => node.ExitCode == CommandLine.Usage) ? CommandLine.Usage : CommandLine.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return CommandLine.Ok; // stopped while starting
        }
        finally
        {
            // Workers first, all at once; the seed last, so that it can confirm their leaving.
            await Task.WhenAll(nodes.Skip(1).Select(node => node.StopAsync(stopTimeout)));
            if (nodes.Count > 0) await nodes[0].StopAsync(stopTimeout);
            foreach (var node in nodes)
            {
                Console.Error.WriteLine($"{node.Name} (pid {node.Pid}) exited with code {node.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
                if (node.ExitCode is not 0)
                    foreach (var line in node.LastErrors) Console.Error.WriteLine($"  {node.Name}: {line}");
                node.Dispose();
            }
            if (plan.Folder is null) Directory.Delete(folder, recursive: true);
        }
    }

    private static ClusterNodeProcess Start(List<ClusterNodeProcess> nodes, string name, IEnumerable<string> role, string config, Plan plan)
    {
        var node = StartNode(name, role, config, plan);
        nodes.Add(node);
        return node;
    }

    private static ClusterNodeProcess StartNode(string name, IEnumerable<string> role, string config, Plan plan) =>
        ClusterNodeProcess.Start(name,
        [
            .. role,
            WorkerHostArguments.HostnameOption, plan.Hostname,
            "--config", config,
            WorkerHostArguments.ParentPidOption, Text(Environment.ProcessId),
        ]);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
