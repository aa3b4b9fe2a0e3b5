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
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task A_pool_serves_from_a_node_listed_in_hocon_and_starts_no_process_of_its_own()
    {
        var nodeTls = _certificates.Identity("node");
        var poolTls = _certificates.Identity("pool");

        using var node = CliRunner.Start([.. new WorkerHostArguments { Overrides = [nodeTls] }.ToArguments()]);
        var address = await node.ListeningAddressAsync(TimeSpan.FromSeconds(60));
        var system = WireSecurity.CreateSystem("uses-nodes", ProcessPool.Config(1,
            "actors.pool.processes.spawn = off",
            $"actors.pool.processes.nodes = [\"{address}\"]",
            poolTls));
        try
        {
            await using var pool = WorkerPool.Create(system, "pool");
            var pids = new HashSet<int>();
            var options = new MapOptions { ChunkSize = 10, Progress = new InlineProgress<MapProgress>(progress => pids.UnionWith(progress.Pids)) };

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
}
