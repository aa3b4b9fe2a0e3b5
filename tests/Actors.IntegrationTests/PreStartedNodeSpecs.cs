using Actors.Jobs;
using Actors.Pool;
using Actors.Protocol;
using Akka.Actor;

namespace Actors.IntegrationTests;

/// <summary>Worker nodes a user starts by hand (<c>actors node --role worker</c>), listed in HOCON.</summary>
[Collection(ProcessCollection.Name)]
public sealed class PreStartedNodeSpecs
{
    [Fact]
    public async Task A_pool_serves_from_a_node_listed_in_hocon_and_starts_no_process_of_its_own()
    {
        using var node = CliRunner.Start([.. new WorkerHostArguments().ToArguments()]);
        var address = await ListeningAddressAsync(node);
        var system = ActorSystem.Create("uses-nodes", ProcessPool.Config(1,
            "actors.pool.processes.spawn = off",
            $"actors.pool.processes.nodes = [\"{address}\"]"));
        try
        {
            await using var pool = WorkerPool.Create(system, "pool");
            var pids = new HashSet<int>();
            var options = new MapOptions { ChunkSize = 10, Progress = new Inline(progress => pids.UnionWith(progress.Pids)) };

            var squares = await pool.MapAsync(new SquareJob(), Enumerable.Range(0, 100).Select(i => (long)i), options);

            Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i * i), squares);
            Assert.Equal([node.Pid], pids);
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

    private static async Task<string> ListeningAddressAsync(CliRunner node)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            foreach (var line in node.Stdout.Split('\n'))
                if (WorkerHostOutput.TryParseListening(line, out var address)) return address;
            // Polling another process's output: there is no event to await.
            await Task.Delay(50, deadline.Token);
        }
    }

    private sealed class Inline(Action<MapProgress> report) : IProgress<MapProgress>
    {
        public void Report(MapProgress value) => report(value);
    }
}
