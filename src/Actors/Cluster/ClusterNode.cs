using System.Net.Security;
using Actors.Configuration;
using Actors.Jobs;
using Actors.Protocol;
using Actors.Security;
using Actors.Serialization;
using Actors.Workers;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;

namespace Actors.Cluster;

/// <summary>
/// A member of an Akka.Cluster that this project runs: a seed (a stable contact point) or a worker
/// member, which hosts workers that cluster-mode pools find there. <c>actors node --role seed|worker</c> runs
/// one until Ctrl+C or SIGTERM, then it leaves the cluster in order; <c>actors cluster up</c>
/// starts a seed and workers as processes.
/// </summary>
public static class ClusterNode
{
    /// <summary>The actor-system name of every member: members of one cluster must share it.</summary>
    public const string SystemName = "actors";

    /// <summary>
    /// Creates a member's actor system from <paramref name="config"/> (cluster mode's HOCON):
    /// over TLS with the configured certificate and authority unless
    /// <c>actors.security.tls.enabled = off</c>. A member answers status queries
    /// (<see cref="NodeStatusActor"/>), and one with the worker role (<c>actors.cluster.worker-role</c>)
    /// hosts <c>actors.cluster.workers-per-node</c> workers at <see cref="WorkerHostArguments.WorkersPath"/>,
    /// where pools find them.
    /// </summary>
    /// <exception cref="ConfigException">TLS is on without certificate files, or a file cannot be read.</exception>
    public static ActorSystem CreateSystem(Config config, string name = SystemName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var system = CreateBareSystem(config, name);
        if (((ExtendedActorSystem)system).Provider is ClusterActorRefProvider)
        {
            var settings = ClusterModeSettings.Create(system.Settings.Config);
            system.ActorOf(NodeStatusActor.Props(settings), NodeStatusActor.Name);
            if (settings.DownDeadMembers) system.ActorOf(DeadMemberDowner.Props(settings.DeadMemberDialTimeout), DeadMemberDowner.Name);
            if (Akka.Cluster.Cluster.Get(system).SelfRoles.Contains(settings.WorkerRole))
                system.ActorOf(WorkerHost.Props(settings.WorkersPerNode), WorkerHostArguments.WorkersPath.Split('/')[^1]);
        }
        return system;
    }

    private static ActorSystem CreateBareSystem(Config config, string name)
    {
        var tls = WireSecuritySettings.Create(config);
        if (!tls.Enabled) return ActorSystem.Create(name, config);
        if (tls.Credentials != CredentialSource.Files)
            throw new ConfigException($"{WireSecuritySettings.Path}.credentials = ephemeral: cluster members need certificates from one authority — "
                + "credentials = files with certificate.path and ca-path (make them with actors cert ca and actors cert node), or enabled = off on a network you trust.");
        var policy = TlsPolicy.FromSettings(tls, name);
        // Every member that trusts this authority would refuse this node, and only they would log why.
        if (!policy.Trust.Accepts(policy.Certificate, SslPolicyErrors.None, out var refused))
            throw new ConfigException($"{WireSecuritySettings.Path}.certificate.path = {tls.CertificatePath}: members that trust {tls.AuthorityPath} "
                + $"(ca-path) would refuse this node: {refused}. Issue its certificate with that authority (actors cert node --ca).");
        return policy.CreateActorSystem(name, config);
    }

    /// <summary>
    /// The configuration of a node: <paramref name="config"/> (cluster mode's HOCON) with the
    /// node's role, where it listens and the host other members dial. Seeds are joined by
    /// <see cref="RunAsync"/>, not from <c>akka.cluster.seed-nodes</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A host name is not a host name or an IP address.</exception>
    public static Config NodeConfig(ClusterNodeOptions options, Config config)
    {
        ArgumentNullException.ThrowIfNull(options);
        RequireHost(options.Hostname, "--hostname");
        if (options.PublicHostname is not null) RequireHost(options.PublicHostname, "--public-hostname");
        if (options.Port is < 0 or > 65535) throw new ArgumentException($"--port {options.Port} is not 0..65535.", nameof(options));
        return ConfigurationFactory.ParseString($$"""
            akka.cluster.roles = ["{{options.Role}}"]
            akka.cluster.seed-nodes = []
            akka.remote.dot-netty.tcp.hostname = "{{options.Hostname}}"
            akka.remote.dot-netty.tcp.public-hostname = "{{options.PublicHostname ?? options.Hostname}}"
            akka.remote.dot-netty.tcp.port = {{options.Port}}
            akka.coordinated-shutdown.exit-clr = off
            """).WithFallback(config);
    }

    /// <summary>The line a node prints once it listens: its role, process id and address.</summary>
    public static string Listening(string role, int pid, Address address) => $"cluster {role} node {pid} listening at {address}";

    /// <summary>
    /// Runs a node: joins the seeds (or, for a seed given none, forms a cluster by joining itself),
    /// serves until <paramref name="cancellationToken"/> is cancelled or its parent process exits,
    /// then leaves the cluster in order.
    /// </summary>
    /// <returns>0 after leaving in order; 1 when the node was removed from the cluster (downed) first, or its
    /// actor system did not terminate within <c>actors.cluster.terminate-timeout</c>.</returns>
    /// <exception cref="ArgumentException">An option is invalid (a host name, a seed, a worker without seeds).</exception>
    /// <exception cref="ConfigException">A setting is invalid or a certificate file cannot be read.</exception>
    /// <exception cref="FileNotFoundException">A job assembly does not exist.</exception>
    /// <exception cref="PortInUseException">Another process listens on the node's port.</exception>
    public static async Task<int> RunAsync(ClusterNodeOptions options, Config config, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(config);
        var nodeConfig = NodeConfig(options, config);
        var settings = ClusterModeSettings.Create(nodeConfig);
        var configured = config.GetStringList("akka.cluster.seed-nodes", []);
        var seeds = SeedAddresses.Parse(options.Seeds.Count > 0 ? options.Seeds : configured, config);
        if (seeds.Count == 0 && options.Role != ClusterNodeOptions.SeedRole)
            throw new ArgumentException($"a {options.Role} node joins an existing cluster: give it --seeds (a seed's address, as the seed printed it).", nameof(options));
        var jobTypes = WorkerNode.LoadJobAssemblies(options.Assemblies);

        ActorSystem system;
        try
        {
            system = CreateSystem(nodeConfig);
        }
        catch (Exception e) when (PortInUseException.IsAddressInUse(e))
        {
            throw new PortInUseException(options.Hostname, options.Port, e);
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var cluster = Akka.Cluster.Cluster.Get(system);
        RegisterWireTypes(system, jobTypes);
        await output.WriteLineAsync(Listening(options.Role, Environment.ProcessId, cluster.SelfAddress)).ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);

        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        if (seeds.Count == 0) cluster.Join(cluster.SelfAddress);
        else cluster.JoinSeedNodes(seeds);
        _ = ReportJoinAsync(cluster, up.Task, seeds, settings.JoinTimeout, output, errors, stop.Token);
        if (options.ParentPid is { } parent) _ = WorkerNode.ExitWithParentAsync(parent, stop);

        var shutdown = CoordinatedShutdown.Get(system);
        // Akka runs the coordinated shutdown itself when the node is downed (and on SIGTERM where its
        // CLR hook is on): the node hears of it as the first phase starts, not once the system has terminated.
        var stopping = PhaseReached(shutdown, CoordinatedShutdown.PhaseBeforeServiceUnbind);
        var left = PhaseReached(shutdown, CoordinatedShutdown.PhaseBeforeActorSystemTerminate);
        await Task.WhenAny(stopping, system.WhenTerminated, Task.Delay(Timeout.Infinite, stop.Token)).ConfigureAwait(false);
        if (shutdown.ShutdownReason is CoordinatedShutdown.ClusterDowningReason or CoordinatedShutdown.ClusterJoinUnsuccessfulReason)
        {
            await errors.WriteLineAsync($"this node was removed from the cluster without leaving ({shutdown.ShutdownReason.GetType().Name}): "
                + "it was downed, by the split brain resolver after it was unreachable, or by an operator").ConfigureAwait(false);
            await Task.WhenAny(left, system.WhenTerminated).ConfigureAwait(false);
            await TerminatedAsync(system, settings.TerminateTimeout, errors).ConfigureAwait(false);
            return 1;
        }
        await output.WriteLineAsync($"leaving the cluster: {cluster.SelfAddress}").ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        // Out of the cluster once the phases before the actor system's termination are done; the
        // termination itself (which waits for every worker's job) gets terminate-timeout from there.
        await Task.WhenAny(left, shutdown.Run(CoordinatedShutdown.ClusterLeavingReason.Instance)).ConfigureAwait(false);
        if (!await TerminatedAsync(system, settings.TerminateTimeout, errors).ConfigureAwait(false)) return 1;
        await output.WriteLineAsync("left the cluster").ConfigureAwait(false);
        return 0;
    }

    /// <summary>Completes when <paramref name="shutdown"/> reaches <paramref name="phase"/>.</summary>
    private static Task PhaseReached(CoordinatedShutdown shutdown, string phase)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        shutdown.AddTask(phase, $"actors-node-{phase}", () =>
        {
            reached.TrySetResult();
            return Task.FromResult(Akka.Done.Instance);
        });
        return reached.Task;
    }

    /// <summary>
    /// Waits at most <paramref name="timeout"/> for <paramref name="system"/> to terminate, and says
    /// so on <paramref name="errors"/> when it has not: termination waits for the workers deployed
    /// here, and a synchronous job that hangs holds its worker's thread for good.
    /// </summary>
    private static async Task<bool> TerminatedAsync(ActorSystem system, TimeSpan timeout, TextWriter errors)
    {
        try
        {
            await system.WhenTerminated.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            await errors.WriteLineAsync($"actor system did not terminate within {timeout} ({ClusterModeSettings.SectionPath}.terminate-timeout): "
                + "a job still running on this node holds its worker; exiting anyway").ConfigureAwait(false);
            return false;
        }
    }

    private static async Task ReportJoinAsync(
        Akka.Cluster.Cluster cluster, Task up, IReadOnlyList<Address> seeds, TimeSpan joinTimeout, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        try
        {
            // Said again each join-timeout while it lasts: a refusal that came late, or a seed that
            // went away, shows in the next reminder.
            for (var waited = joinTimeout; !await UpWithinAsync(up, joinTimeout, ct).ConfigureAwait(false); waited += joinTimeout)
            {
                var asked = seeds.Count == 0 ? "itself" : string.Join(", ", seeds);
                var why = Actors.Logging.TlsRefusals.For(cluster.System).Last is { } refusal
                    ? $"TLS: {refusal}"
                    : "check the seeds' addresses, the actor-system name and the firewall";
                await errors.WriteLineAsync($"not a member after {waited} (actors.cluster.join-timeout): {asked} has not accepted this node yet; "
                    + $"still trying. {why}").ConfigureAwait(false);
            }
            await output.WriteLineAsync($"member up: {cluster.SelfAddress} (roles: {string.Join(", ", cluster.SelfRoles.Order())})").ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping before it ever joined.
        }
    }

    /// <summary>Whether <paramref name="up"/> completes within <paramref name="timeout"/>; throws once <paramref name="ct"/> is cancelled.</summary>
    private static async Task<bool> UpWithinAsync(Task up, TimeSpan timeout, CancellationToken ct)
    {
        if (await Task.WhenAny(up, Task.Delay(timeout, ct)).ConfigureAwait(false) == up) return true;
        ct.ThrowIfCancellationRequested();
        return false;
    }

    private static void RegisterWireTypes(ActorSystem system, IEnumerable<Type> jobTypes)
    {
        var wireTypes = WireTypes.For(system);
        foreach (var type in jobTypes)
        {
            var (input, output, _) = JobRunner.ShapeOf(type);
            wireTypes.Register(input);
            wireTypes.Register(output);
        }
    }

    private static void RequireHost(string host, string option)
    {
        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
            throw new ArgumentException($"{option} '{host}' is not a host name or an IP address.");
    }
}
