using System.CommandLine;
using Actors.Cluster;
using Actors.Configuration;
using Actors.Pool;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.Cli.Commands;

/// <summary>
/// What <c>actors map</c> and <c>actors demo</c> do differently in cluster mode: join the seeds as
/// a member that submits work, over TLS as configured, and wait for worker members before the
/// first map (so that automatic chunk sizes follow the workers actually deployed). They leave the
/// cluster when they stop (coordinated shutdown leaves first).
/// </summary>
internal static class ClusterSubmitter
{
    public const string Mode = "cluster";

    /// <summary>Checks <c>--seeds</c> against the mode: seeds only in cluster mode, and cluster mode needs some.</summary>
    /// <returns>An error to print (with usage, exit 2), or null.</returns>
    public static string? Check(string mode, IReadOnlyList<string> seeds, Config config)
    {
        if (mode != Mode) return seeds.Count > 0 ? $"{ClusterNodeCommand.SeedsOption} joins a cluster: it needs --mode cluster." : null;
        if (seeds.Count == 0 && config.GetStringList("akka.cluster.seed-nodes", []).Count == 0)
            return $"--mode cluster joins a running cluster: give it {ClusterNodeCommand.SeedsOption} (a seed's address, as actors cluster up or actors node --role seed printed it).";
        try
        {
            SeedAddresses.Parse(seeds, config);
        }
        catch (ArgumentException e)
        {
            return $"{ClusterNodeCommand.SeedsOption}: {e.Message}";
        }
        return null;
    }

    /// <summary><paramref name="config"/> with <paramref name="seeds"/> as <c>akka.cluster.seed-nodes</c> (joined as the system starts).</summary>
    public static Config WithSeeds(Config config, IReadOnlyList<string> seeds)
    {
        if (seeds.Count == 0) return config;
        var addresses = SeedAddresses.Parse(seeds, config);
        return ConfigurationFactory.ParseString($"akka.cluster.seed-nodes = {SeedAddresses.Hocon(addresses)}").WithFallback(config);
    }

    /// <summary>The actor system of a command, as its mode's placement makes it (<see cref="PoolSystem.Create"/>): a cluster member in cluster mode, one whose wire runs TLS as configured in processes mode.</summary>
    /// <exception cref="ConfigException">Akka refused one of its own settings (an <c>akka.*</c> value of the wrong kind).</exception>
    public static ActorSystem CreateSystem(Config config)
    {
        try
        {
            return PoolSystem.Create(config);
        }
        catch (Exception e) when (e is not ConfigException && Refusal(e) is { } refusal)
        {
            throw new ConfigException($"the actor system refused its configuration: {refusal.Message}", refusal);
        }
    }

    /// <summary>The innermost exception of a failed start when it is Akka reading a setting it cannot use.</summary>
    private static Exception? Refusal(Exception e)
    {
        while (e is AggregateException or System.Reflection.TargetInvocationException && e.InnerException is { } inner) e = inner;
        return e is ConfigurationException or ArgumentException or FormatException or NotSupportedException or InvalidCastException ? e : null;
    }

    /// <summary>
    /// Waits until the pool has workers; in cluster mode they come once this node has joined and
    /// worker members are up. Bounded: the pool gives up after <c>actors.cluster.wait-for-workers</c>.
    /// </summary>
    /// <returns>Why there are no workers, or null once there are.</returns>
    public static async Task<string?> WaitForWorkersAsync(ActorSystem system, WorkerPool pool, Config config, CancellationToken cancellationToken)
    {
        var settings = ClusterModeSettings.Create(config);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.WaitForWorkers + PoolSettings.Create(config.GetConfig(PoolSettings.SectionPath)).AskTimeout);
        try
        {
            while (true)
            {
                var status = await pool.GetStatusAsync(deadline.Token);
                // Each member's host is found on its own: the map waits until every worker member up now serves,
                // so that it spreads over all of them rather than starting on the first one found.
                if (status.Routees > 0 && status.Hosts >= UpWorkerMembers(system, settings.WorkerRole)) return null;
                if (status.Unavailable is { } reason) return reason;
                // The pool has no event for "workers arrived" that a caller could await; its status is polled.
                await Task.Delay(settings.RefreshInterval / 10, deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Interrupted: the caller's own cancellation ends what comes next.
            return cancellationToken.IsCancellationRequested ? null : $"no worker member within {settings.WaitForWorkers} (actors.cluster.wait-for-workers)";
        }
    }

    private static int UpWorkerMembers(ActorSystem system, string role) =>
        Akka.Cluster.Cluster.Get(system).State.Members.Count(member => member.Status == Akka.Cluster.MemberStatus.Up && member.HasRole(role));

    /// <summary>Why a submitting member's actor system stopped under a running map, when the cluster stopped it; null otherwise.</summary>
    public static string? WhyStopped(ActorSystem system) => CoordinatedShutdown.Get(system).ShutdownReason switch
    {
        CoordinatedShutdown.ClusterDowningReason =>
            "this member was downed by the cluster (the split brain resolver, after this member and a worker member could not reach each other, or an operator) "
            + "and its pool stopped; inputs without an outcome were not answered. Run the map again once the network is whole.",
        CoordinatedShutdown.ClusterJoinUnsuccessfulReason => "this member could not join the cluster, and its pool stopped.",
        _ => null,
    };

    /// <summary><paramref name="why"/>, and the last TLS refusal this member logged when there was one: a certificate refused is the likeliest reason a member never joined.</summary>
    public static string WithTlsRefusal(ActorSystem system, string why) =>
        Actors.Logging.TlsRefusals.For(system).Last is { } refusal ? $"{why}. TLS: {refusal}" : why;

    /// <summary>Adds <c>--seeds</c> to a command that submits work.</summary>
    public static Option<string[]> AddSeeds(Command command)
    {
        var seeds = ClusterNodeCommand.Seeds();
        command.Options.Add(seeds);
        return seeds;
    }
}
