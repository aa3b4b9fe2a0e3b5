using Actors.Hosting;
using Actors.Jobs;
using Actors.Pool;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.IntegrationTests;

/// <summary>A pool in processes mode in a generic host: its wire gets TLS credentials, and stopping the host stops its worker processes.</summary>
[Collection(ProcessCollection.Name)]
public sealed class HostedWorkerProcessesSpecs
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Stopping_the_host_must_stop_the_worker_processes_its_pool_started()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddActors(configure: actors => actors.AddWorkerPool("squares", pool => pool.Processes.Count = 2));
        builder.Services.Configure<ActorsOptions>(options => options.Mode = "processes");
        builder.Services.AddAkka("hosted-processes", (akka, services) => akka.WithActorsHosting(services));
        var pids = new HashSet<int>();
        using var host = builder.Build();
        try
        {
            await host.StartAsync();
            var pool = host.Services.GetRequiredKeyedService<IWorkerPool>("squares");
            await pool.WhenReadyAsync(Generous);

            var squares = await pool.MapAsync(new SquareJob(), Enumerable.Range(0, 10_000).Select(i => (long)i),
                new MapOptions { ChunkSize = 100, Progress = new Recorder(progress => { lock (pids) pids.UnionWith(progress.Pids); }) });

            Assert.Equal(Enumerable.Range(0, 10_000).Select(i => (long)i * i), squares);
            Assert.DoesNotContain(Environment.ProcessId, pids);
            Assert.NotEmpty(pids);
            await host.StopAsync().WaitAsync(Generous);
            Assert.All(pids, pid => Assert.False(ProcessPool.IsRunning(pid), $"worker process {pid} outlived the stopped host"));
        }
        finally
        {
            foreach (var pid in ProcessPool.ChildrenOf(Environment.ProcessId).Concat(pids)) ProcessPool.Kill(pid);
        }
    }

    /// <summary>Records progress on the caller's thread (<see cref="Progress{T}"/> posts it later, after the map may have returned).</summary>
    private sealed class Recorder(Action<MapProgress> record) : IProgress<MapProgress>
    {
        public void Report(MapProgress value) => record(value);
    }
}
