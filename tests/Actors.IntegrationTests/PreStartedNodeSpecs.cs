using Actors.Jobs;
using Actors.Pool;
using Actors.Protocol;
using Actors.Security;
using Akka.Actor;

namespace Actors.IntegrationTests;

/// <summary>Worker nodes a user starts by hand (<c>actors node --role worker</c>), listed in HOCON, talking TLS with certificates from one authority.</summary>
[Collection(ProcessCollection.Name)]
public sealed class PreStartedNodeSpecs : IDisposable
{
    private readonly string _certificates = Path.Combine(Path.GetTempPath(), $"actors-node-specs-{Guid.NewGuid():N}");

    public PreStartedNodeSpecs() => CertificateFiles.CreatePrivateDirectory(_certificates);

    public void Dispose() => Directory.Delete(_certificates, recursive: true);

    [Fact]
    public async Task A_pool_serves_from_a_node_listed_in_hocon_and_starts_no_process_of_its_own()
    {
        var authority = CertificateFactory.CreateAuthority("specs-ca", TimeSpan.FromDays(1));
        var caPath = Path.Combine(_certificates, "ca.crt");
        CertificateFiles.WritePublic(caPath, authority);
        var nodeTls = Identity("node", authority, caPath);
        var poolTls = Identity("pool", authority, caPath);

        using var node = CliRunner.Start([.. new WorkerHostArguments { Overrides = [nodeTls] }.ToArguments()]);
        var address = await ListeningAddressAsync(node);
        var system = WireSecurity.CreateSystem("uses-nodes", ProcessPool.Config(1,
            "actors.pool.processes.spawn = off",
            $"actors.pool.processes.nodes = [\"{address}\"]",
            poolTls));
        try
        {
            await using var pool = WorkerPool.Create(system, "pool");
            var pids = new HashSet<int>();
            var options = new MapOptions { ChunkSize = 10, Progress = new Inline(progress => pids.UnionWith(progress.Pids)) };

            var squares = await pool.MapAsync(new SquareJob(), Enumerable.Range(0, 100).Select(i => (long)i), options);

            Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i * i), squares);
            Assert.Equal([node.Pid], pids);
            Assert.StartsWith("akka.ssl.tcp://", address);
            Assert.Equal(1, (await pool.GetStatusAsync()).Hosts); // the one listed node
            Assert.DoesNotContain(ProcessPool.ChildrenOf(Environment.ProcessId), pid => pid != node.Pid && IsWorkerNode(pid));
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>The TLS settings of a node whose certificate the authority issued, as an override.</summary>
    private string Identity(string name, System.Security.Cryptography.X509Certificates.X509Certificate2 authority, string caPath)
    {
        var path = Path.Combine(_certificates, name + ".pfx");
        CertificateFiles.WriteIdentity(path, CertificateFactory.Issue(authority, name, ["127.0.0.1", "localhost"], TimeSpan.FromDays(1)));
        return $"actors.security.tls {{ credentials = files, certificate.path = \"{path}\", ca-path = \"{caPath}\" }}";
    }

    private static bool IsWorkerNode(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("node");
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<string> ListeningAddressAsync(CliRunner node)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            foreach (var line in node.Stdout.Split('\n'))
                if (WorkerHostOutput.TryParseListening(line, out var address)) return address;
            if (deadline.IsCancellationRequested) throw new TimeoutException($"the node never said where it listens.\nstdout:\n{node.Stdout}\nstderr:\n{node.Stderr}");
            // Polling another process's output: there is no event to await.
            await Task.Delay(50, CancellationToken.None);
        }
    }

    private sealed class Inline(Action<MapProgress> report) : IProgress<MapProgress>
    {
        public void Report(MapProgress value) => report(value);
    }
}
