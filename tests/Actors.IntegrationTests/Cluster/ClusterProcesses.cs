using System.Security.Cryptography.X509Certificates;
using Actors.Cluster;
using Actors.Configuration;
using Actors.Protocol;
using Actors.Security;
using Akka.Actor;

namespace Actors.IntegrationTests.Cluster;

/// <summary>
/// Cluster nodes as real <c>actors node</c> processes over TLS, with certificates from an
/// authority made for the spec (or from another one, for a stranger), and members that submit work
/// in this test process with a certificate of their own. Every process and actor system it started
/// is gone when it is disposed, and so are the certificates.
/// </summary>
internal sealed class ClusterProcesses : IAsyncDisposable
{
    public static readonly TimeSpan Patience = InProcessCluster.Patience;

    private readonly string _folder = Directory.CreateTempSubdirectory("actors-cluster-spec-").FullName;
    private readonly X509Certificate2 _authority = CertificateFactory.CreateAuthority("cluster spec CA", TimeSpan.FromDays(1));
    private readonly List<CliRunner> _nodes = [];
    private readonly List<ActorSystem> _systems = [];

    /// <summary>Starts a node of role <paramref name="role"/> and waits for the address it listens at.</summary>
    /// <param name="seeds">Seeds to join; none for the first seed.</param>
    /// <param name="authority">The authority that issues its certificate; null for the cluster's own.</param>
    /// <param name="settings">HOCON lines added to its configuration file.</param>
    /// <param name="options">Further options of <c>actors node</c>.</param>
    public async Task<(CliRunner Node, string Address)> StartNodeAsync(
        string name, string role, string[] seeds, X509Certificate2? authority = null, string[]? settings = null, string[]? options = null)
    {
        string[] arguments = ["node", "--role", role, "--config", ConfigFor(name, authority ?? _authority, settings ?? []), .. options ?? []];
        if (seeds.Length > 0) arguments = [.. arguments, "--seeds", string.Join(",", seeds)];
        var node = CliRunner.Start(arguments);
        _nodes.Add(node);
        using var deadline = new CancellationTokenSource(Patience);
        try
        {
            while (true)
            {
                foreach (var line in node.Stdout.Split('\n'))
                    if (WorkerHostOutput.TryParseListening(line, out var address)) return (node, address);
                // Polling another process's output: there is no event to await.
                await Task.Delay(50, deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{name} did not print its address within {Patience}.\nstdout:\n{node.Stdout}\nstderr:\n{node.Stderr}");
        }
    }

    /// <summary>The configuration file of a node named <paramref name="name"/>: its certificate from the cluster's authority, and <paramref name="settings"/>.</summary>
    public string ConfigFile(string name, params string[] settings) => ConfigFor(name, _authority, settings);

    /// <summary>A member in this process that submits work (role submitter), joined to <paramref name="seed"/>.</summary>
    public ActorSystem StartSubmitter(string seed, params string[] overrides) => Track(ClusterNode.CreateSystem(Config("submitter", seed, overrides)));

    /// <summary>An actor system in this process that watches the cluster without joining it.</summary>
    public ActorSystem StartObserver(string seed) =>
        Track(ClusterNode.CreateSystem(Config("observer", seed, "akka.actor.provider = remote"), "actors-observer"));

    /// <summary>Cluster mode's configuration for a member in this process with a certificate named <paramref name="name"/>.</summary>
    private Akka.Configuration.Config Config(string name, string seed, params string[] overrides) => ActorsConfig.Load(new ConfigOptions
    {
        Mode = "cluster",
        File = ConfigFor(name, _authority),
        Overrides = [$"akka.cluster.seed-nodes = [\"{seed}\"]", "akka.loglevel = WARNING", .. overrides],
    });

    public async ValueTask DisposeAsync()
    {
        foreach (var system in _systems) await system.Terminate().WaitAsync(Patience);
        var pids = _nodes.Select(node => node.Pid).ToArray();
        foreach (var node in _nodes)
        {
            ProcessPool.Kill(node.Pid);
            await node.WaitForExitAsync(Patience); // a killed process is gone only once it has been reaped
            node.Dispose();
        }
        Assert.All(pids, pid => Assert.False(ProcessPool.IsRunning(pid), $"node process {pid} outlived its spec"));
        Directory.Delete(_folder, recursive: true);
    }

    private string ConfigFor(string name, X509Certificate2 authority, params string[] settings)
    {
        var identity = Path.Combine(_folder, name + ".pfx");
        var authorityFile = Path.Combine(_folder, name + "-ca.crt");
        using (var certificate = CertificateFactory.Issue(authority, name, ["127.0.0.1"], TimeSpan.FromDays(1)))
            CertificateFiles.WriteIdentity(identity, certificate);
        CertificateFiles.WritePublic(authorityFile, authority); // a node trusts the authority that issued its own certificate
        var config = Path.Combine(_folder, name + ".conf");
        File.WriteAllLines(config, [$"actors.security.tls {{ credentials = files, certificate.path = \"{identity}\", ca-path = \"{authorityFile}\" }}", .. settings]);
        return config;
    }

    private ActorSystem Track(ActorSystem system)
    {
        _systems.Add(system);
        return system;
    }
}
