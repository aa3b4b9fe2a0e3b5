using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Actors.Cluster;
using Actors.Security;

namespace Actors.IntegrationTests.Partitions;

/// <summary>
/// A cluster whose every process lives in a network namespace of its own (<see cref="NetnsRig"/>):
/// a seed (host 1), the submitting <c>actors map</c> (host 2) and worker members (hosts 3 and up),
/// over TLS with certificates from an authority made for the run. Shared by the partition specs:
/// the seed and the workers are started once, and a worker a case has downed is replaced before
/// the next. The failure detector and the split brain resolver are tuned for the rig (seconds, not
/// tens of seconds) through <see cref="Settings"/>. Every process is killed by pid and every
/// namespace removed on dispose.
/// </summary>
public sealed class PartitionCluster : IAsyncLifetime
{
    /// <summary>Hosts: the seed, the submitter, three workers.</summary>
    public const int Seed = 1, Submitter = 2, FirstWorker = 3, Workers = 3;

    /// <summary>How long a node or a map may take before a case fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The rig's detector and resolver: a member is unreachable after about 0.5 s + 2 s of silence,
    /// and the resolver decides once membership has been stable for 7 s. A healed link carries
    /// traffic again only at TCP's next retransmission, which backs off while the link is down (up to
    /// about 3 s after a cut this long): 7 s leaves a heal right after "unreachable" room to be seen
    /// before the resolver decides, also on a loaded machine (4 s did not, now and then).
    /// </summary>
    private static readonly string[] Settings =
    [
        "akka.loglevel = INFO",
        "akka.cluster.failure-detector { heartbeat-interval = 500ms, acceptable-heartbeat-pause = 2s, threshold = 8.0 }",
        "akka.cluster.split-brain-resolver.stable-after = 7s",
        "actors.cluster.wait-for-workers = 60s",
        // A status asks every member listed; one cut off or on its way out costs a look this long.
        "actors.cluster.status-timeout = 1s",
    ];

    private const int SeedPort = 4053;

    private readonly string _folder = Directory.CreateTempSubdirectory("actors-partition-").FullName;
    private readonly X509Certificate2 _authority = CertificateFactory.CreateAuthority("partition spec CA", TimeSpan.FromDays(1));
    private readonly List<CliRunner> _processes = [];
    private readonly Dictionary<int, CliRunner> _workers = [];
    private NetnsRig? _rig;

    /// <summary>Why the rig could not be made; null when it was.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The rig (null when <see cref="Unavailable"/>).</summary>
    internal NetnsRig Rig => _rig ?? throw new InvalidOperationException(Unavailable);

    /// <summary>The course's process.</summary>
    internal CliRunner SeedNode { get; private set; } = null!;

    /// <summary>The seed's address.</summary>
    public string SeedAddress => $"akka.ssl.tcp://actors@{Rig.Address(Seed)}:{SeedPort}";

    /// <summary>The worker member running on <paramref name="host"/> now.</summary>
    internal CliRunner Worker(int host) => _workers[host];

    /// <summary>The address of the member on <paramref name="host"/> (its port read from what it printed).</summary>
    public string AddressOf(int host) => Listening(host == Seed ? SeedNode : _workers[host]);

    public async Task InitializeAsync()
    {
        _rig = NetnsRig.TryCreate(FirstWorker + Workers - 1, out var whyNot);
        Unavailable = whyNot;
        if (_rig is null) return;
        SeedNode = Start(Seed, "node", "--role", ClusterNodeOptions.SeedRole, "--hostname", Rig.Address(Seed), "--port", SeedPort.ToString(CultureInfo.InvariantCulture),
            "--config", ConfigFor("seed", Seed));
        // No member is up before a worker member joins (akka.cluster.role.worker.min-nr-of-members).
        await Task.WhenAll(Enumerable.Range(FirstWorker, Workers).Select(ReplaceWorkerAsync).Append(UpAsync(SeedNode, "the seed")));
    }

    /// <summary>Starts a worker member on <paramref name="host"/> (the one there before must have exited) and waits until it is up.</summary>
    public async Task ReplaceWorkerAsync(int host)
    {
        var worker = Start(host, "node", "--role", ClusterNodeOptions.WorkerRole, "--seeds", SeedAddress, "--hostname", Rig.Address(host),
            "--config", ConfigFor($"worker-{host}", host));
        _workers[host] = worker;
        await UpAsync(worker, $"the worker on host {host}");
    }

    /// <summary>Starts <c>actors map</c> of the sleep job over <paramref name="range"/> in the submitter's namespace.</summary>
    internal CliRunner StartMap(string range, int chunkSize) =>
        Start(Submitter, "map", "--mode", "cluster", "--seeds", SeedAddress, "--config", ConfigFor("submitter", Submitter),
            "--job", "sleep", "--range", range, "--chunk-size", chunkSize.ToString(CultureInfo.InvariantCulture), "--json");

    /// <summary>
    /// The membership as the seed sees it (<c>actors cluster status --once --json</c>, run in the
    /// submitter's namespace): address → (status, reachable). Members removed lately, which the
    /// status lists for a minute with why, are history rather than membership: left out.
    /// </summary>
    public async Task<Dictionary<string, (string Status, bool Reachable)>> MembersAsync()
    {
        using var status = Start(Submitter, "cluster", "status", "--seeds", SeedAddress, "--config", ConfigFor("observer", Submitter), "--once", "--json");
        var exit = await status.WaitForExitAsync(Patience);
        if (exit != 0) throw new InvalidOperationException($"cluster status exited {exit}: {status.Stderr}");
        using var json = JsonDocument.Parse(status.Stdout);
        return json.RootElement.GetProperty("members").EnumerateArray().Where(member => member.GetProperty("status").GetString() != "Removed").ToDictionary(
            member => member.GetProperty("address").GetString()!,
            member => (member.GetProperty("status").GetString()!, member.GetProperty("reachable").GetBoolean()));
    }

    /// <summary>What the split brain resolvers and the failure detectors said, from every process's output, one line each.</summary>
    public IEnumerable<string> ResolverLines() => _processes
        .SelectMany(process => (process.Stdout + process.Stderr).Split('\n').Select(line => (process.Pid, Line: line.Trim())))
        .Where(entry => entry.Line.Contains("SBR", StringComparison.Ordinal) || entry.Line.Contains("UNREACHABLE", StringComparison.Ordinal)
            || entry.Line.Contains("REACHABLE", StringComparison.Ordinal) || entry.Line.Contains("downing it now", StringComparison.Ordinal)
            || entry.Line.Contains("removed from the cluster without leaving", StringComparison.Ordinal))
        .Select(entry => $"pid {entry.Pid}: {entry.Line}");

    public async Task DisposeAsync()
    {
        try
        {
            foreach (var process in _processes)
            {
                ProcessPool.Kill(process.Pid);
                try
                {
                    await process.WaitForExitAsync(Patience);
                }
                catch (Exception e) when (e is TimeoutException or InvalidOperationException)
                {
                    // Disposed by its spec already, or still running: checked below.
                }
                process.Dispose();
            }
            Assert.All(_processes, process => Assert.False(ProcessPool.IsRunning(process.Pid), $"process {process.Pid} outlived the partition specs"));
        }
        finally
        {
            _rig?.Dispose();
            _authority.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string Listening(CliRunner node)
    {
        foreach (var line in node.Stdout.Split('\n'))
            if (Actors.Protocol.WorkerHostOutput.TryParseListening(line.Trim(), out var address)) return address;
        throw new InvalidOperationException($"the node has not printed its address yet:\n{node.Stdout}");
    }

    private static async Task UpAsync(CliRunner node, string what)
    {
        using var deadline = new CancellationTokenSource(Patience);
        try
        {
            // Polling another process's output: there is no event to await.
            while (!node.Stdout.Contains("member up:", StringComparison.Ordinal))
            {
                if (node.HasExited) throw new InvalidOperationException($"{what} exited before it was up:\n{node.Stdout}\n{node.Stderr}");
                await Task.Delay(50, deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{what} was not up within {Patience}:\n{node.Stdout}\n{node.Stderr}");
        }
    }

    private CliRunner Start(int host, params string[] args)
    {
        var process = CliRunner.Start(start => Rig.InHost(host, start), args);
        _processes.Add(process);
        return process;
    }

    /// <summary>A node's configuration file: its certificate (issued for its address), its address, the rig's settings.</summary>
    private string ConfigFor(string name, int host)
    {
        var config = Path.Combine(_folder, name + ".conf");
        if (File.Exists(config)) return config;
        var identity = Path.Combine(_folder, name + ".pfx");
        var authority = Path.Combine(_folder, "ca.crt");
        using (var certificate = CertificateFactory.Issue(_authority, name, [Rig.Address(host)], TimeSpan.FromDays(1)))
            CertificateFiles.WriteIdentity(identity, certificate);
        CertificateFiles.WritePublic(authority, _authority);
        File.WriteAllLines(config,
        [
            $"actors.security.tls {{ credentials = files, certificate.path = \"{identity}\", ca-path = \"{authority}\" }}",
            $"akka.remote.dot-netty.tcp.hostname = \"{Rig.Address(host)}\"",
            .. Settings,
        ]);
        return config;
    }
}
