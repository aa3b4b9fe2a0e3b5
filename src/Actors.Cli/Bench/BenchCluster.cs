using System.Globalization;
using Actors.Cli.Commands;
using Actors.Cluster;
using Actors.Configuration;
using Actors.Pool;
using Actors.Security;
using Akka.Actor;

namespace Actors.Cli.Bench;

/// <summary>
/// A cluster for <see cref="ClusterBenchmark"/>: a seed and two worker nodes as processes, as
/// <c>actors cluster up</c> starts them, and a member in this process with a pool of 4 workers.
/// Disposing it stops the pool, leaves the cluster and stops the node processes.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    /// <summary>How long the benchmark waits for a cluster to reach a state before it fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly string _folder;

    private BenchCluster(string folder, List<ClusterNodeProcess> nodes, ActorSystem submitter, WorkerPool pool)
    {
        _folder = folder;
        Nodes = nodes;
        Submitter = submitter;
        Pool = pool;
    }

    /// <summary>The seed (index 0) and worker-1, worker-2.</summary>
    public List<ClusterNodeProcess> Nodes { get; }

    /// <summary>The member in this process that submits the maps.</summary>
    public ActorSystem Submitter { get; }

    /// <summary>The pool of 2 workers on each worker node.</summary>
    public WorkerPool Pool { get; }

    /// <summary>Starts the nodes and returns once the pool has its 4 workers.</summary>
    public static Task<BenchCluster> StartAsync(bool tls, CancellationToken ct) => StartAsync(tls, 2, 2, ct);

    /// <summary>Starts a seed and <paramref name="workers"/> worker nodes of <paramref name="workersPerNode"/> workers each, and returns once the pool has them all.</summary>
    public static async Task<BenchCluster> StartAsync(bool tls, int workers, int workersPerNode, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"actors-bench-cluster-{Guid.NewGuid():N}");
        var userConfig = Path.Combine(Path.GetTempPath(), $"actors-bench-cluster-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(userConfig, $"actors.security.tls.enabled = {(tls ? "on" : "off")}\nakka.loglevel = ERROR\nactors.cluster.workers-per-node = {workersPerNode}\n", ct).ConfigureAwait(false);
        var credentials = ClusterDevCredentials.Create(folder, userConfig, tls);
        File.Delete(userConfig);
        var nodes = new List<ClusterNodeProcess>();
        ActorSystem? submitter = null;
        try
        {
            string[] host = ["127.0.0.1"];
            nodes.Add(ClusterNodeProcess.Start("seed", ["--role", ClusterNodeOptions.SeedRole, "--config", credentials.ConfigFor("seed", host), "--parent-pid", Text(Environment.ProcessId)]));
            var seed = await nodes[0].AddressAsync(Patience, ct).ConfigureAwait(false);
            for (var i = 1; i <= workers; i++)
                nodes.Add(ClusterNodeProcess.Start($"worker-{i}", ["--role", ClusterNodeOptions.WorkerRole, "--seeds", seed, "--config", credentials.ConfigFor($"worker-{i}", host), "--parent-pid", Text(Environment.ProcessId)]));
            var config = ActorsConfig.Load(new ConfigOptions { Mode = "cluster", File = credentials.ConfigFor("submitter", host), Overrides = [$"akka.cluster.seed-nodes = [\"{seed}\"]", $"akka.actor.deployment./map.cluster.max-nr-of-instances-per-node = {workersPerNode}"] });
            submitter = ClusterNode.CreateSystem(config);
            var pool = WorkerPool.Create(submitter, "map");
            await UntilAsync(async () => (await pool.GetStatusAsync(ct).ConfigureAwait(false)).Routees == workers * workersPerNode,
                $"{workers * workersPerNode} workers on {workers} worker nodes", ct).ConfigureAwait(false);
            return new BenchCluster(folder, nodes, submitter, pool);
        }
        catch
        {
            if (submitter is not null) await submitter.Terminate().ConfigureAwait(false);
            foreach (var node in nodes) node.Dispose();
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>Polls <paramref name="condition"/> for at most <see cref="Patience"/>.</summary>
    /// <exception cref="TimeoutException">It did not hold in time; the message says what was awaited.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Patience);
        try
        {
            while (!await condition().ConfigureAwait(false)) await Task.Delay(20, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"bench cluster: waited {Patience} for {what}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Pool.DisposeAsync().ConfigureAwait(false);
        await CoordinatedShutdown.Get(Submitter).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
        foreach (var node in Nodes) node.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
