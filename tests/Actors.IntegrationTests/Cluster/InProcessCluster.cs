using Actors.Workers;
using Actors.Cluster;
using Actors.Configuration;
using Actors.Jobs;
using Actors.Pool;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.IntegrationTests.Cluster;

/// <summary>
/// Cluster members as actor systems in this test process (loopback, free ports, cluster mode's
/// HOCON without TLS): fast to start, and each one's workers can be looked at directly. Every
/// system it started is terminated on dispose.
/// </summary>
internal sealed class InProcessCluster : IAsyncDisposable
{
    /// <summary>How long one membership change or one map may take on a loaded two-core machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly List<ActorSystem> _systems = [];
    private Address? _seed;

    /// <summary>Cluster mode's configuration, without TLS (TLS between members has its own specs with real processes).</summary>
    public static Config Config(params string[] overrides) => ActorsConfig.Load(new ConfigOptions
    {
        Mode = "cluster",
        Overrides = ["actors.security.tls.enabled = off", "akka.loglevel = WARNING", .. overrides],
    });

    /// <summary>Starts the seed, which forms the cluster by joining itself.</summary>
    public ActorSystem StartSeed() => Start(ClusterNodeOptions.SeedRole);

    /// <summary>Starts a worker member that joins the seed.</summary>
    public ActorSystem StartWorker() => Start(ClusterNodeOptions.WorkerRole);

    /// <summary>Starts a member that submits work, as actors map does.</summary>
    public ActorSystem StartSubmitter(params string[] overrides) => Start(ClusterNodeOptions.SubmitterRole, overrides);

    /// <summary>Completes when <paramref name="system"/> is up; fails naming it when that takes longer than <see cref="Patience"/>.</summary>
    public static async Task UpAsync(ActorSystem system)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        if (await Task.WhenAny(up.Task, Task.Delay(Patience)) != up.Task)
            throw new TimeoutException($"{Akka.Cluster.Cluster.Get(system).SelfAddress} was not up within {Patience}");
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails saying <paramref name="what"/> when it does not within <see cref="Patience"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Patience);
        try
        {
            // Membership and worker counters change in other actors: polled, with a bound.
            while (!await condition()) await Task.Delay(50, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"waited {Patience} for {what}");
        }
    }

    /// <summary>Waits until the pool has <paramref name="routees"/> workers on <paramref name="hosts"/> members.</summary>
    public static Task RouteesAsync(WorkerPool pool, int routees, int hosts) => UntilAsync(async () =>
    {
        var status = await pool.GetStatusAsync();
        return status.Routees == routees && status.Hosts == hosts;
    }, $"{routees} routees on {hosts} members of pool {pool.Name}");

    /// <summary>What the pool workers living in <paramref name="system"/> are doing.</summary>
    public static WorkerActivitySnapshot Activity(ActorSystem system) => WorkerActivity.For(system).Read();

    public static Address AddressOf(ActorSystem system) => Akka.Cluster.Cluster.Get(system).SelfAddress;

    public async ValueTask DisposeAsync()
    {
        GatedJob.Open(); // nothing may stay blocked in a job while its system stops
        foreach (var system in Enumerable.Reverse(_systems))
            await system.Terminate().WaitAsync(Patience);
    }

    private ActorSystem Start(string role, params string[] overrides)
    {
        var config = ClusterNode.NodeConfig(new ClusterNodeOptions { Role = role }, Config(overrides));
        var system = ClusterNode.CreateSystem(config);
        _systems.Add(system);
        var cluster = Akka.Cluster.Cluster.Get(system);
        _seed ??= cluster.SelfAddress;
        cluster.Join(_seed);
        return system;
    }
}

/// <summary>
/// Returns 3·x + 1 once the gate opens: chunks stay running, on whichever member took them, until a
/// spec has done what it does mid-map. The gate is shared by every actor system of this process.
/// </summary>
public sealed class GatedJob : IAsyncJob<long, long>
{
    private static TaskCompletionSource _gate = NewGate();

    /// <summary>Chunks wait from now on.</summary>
    public static void Close() => Volatile.Write(ref _gate, NewGate());

    /// <summary>Every waiting chunk runs, and every later one runs at once.</summary>
    public static void Open() => Volatile.Read(ref _gate).TrySetResult();

    public async Task<long> RunAsync(long input, CancellationToken cancellationToken)
    {
        await Volatile.Read(ref _gate).Task.WaitAsync(InProcessCluster.Patience, cancellationToken);
        return 3 * input + 1;
    }

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
