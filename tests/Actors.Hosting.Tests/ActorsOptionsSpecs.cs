using System.Text;
using Actors.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Tests;

/// <summary><see cref="ActorsOptions"/> bound from appsettings.json and checked by the settings readers' rules.</summary>
public sealed class ActorsOptionsSpecs
{
    [Fact]
    public void Options_must_bind_from_appsettings_json_over_the_values_set_in_code()
    {
        var options = Bind("""
            {
              "Actors": {
                "Mode": "local",
                "AkkaLogLevel": "Warning",
                "Pools": {
                  "jobs": {
                    "Router": "smallest-mailbox", "ChunkSize": 16, "TaskTimeout": "00:00:02.5",
                    "Processes": { "Count": 1, "Nodes": ["akka.tcp://actors-worker@127.0.0.1:9001"] }
                  }
                },
                "Buffers": { "items": { "Capacity": 8 } }
              }
            }
            """, actors => actors.AddWorkerPool("jobs", pool => { pool.ChunkSize = 4; pool.MaxAttempts = 7; }).AddBoundedBuffer<int>("items"));

        var jobs = options.Pools["jobs"];
        Assert.Equal("Warning", options.AkkaLogLevel);
        Assert.Equal("smallest-mailbox", jobs.Router);
        Assert.Equal(16, jobs.ChunkSize);          // configuration wins over code
        Assert.Equal(7, jobs.MaxAttempts);         // code's value stands where configuration is silent
        Assert.Equal(TimeSpan.FromMilliseconds(2500), jobs.TaskTimeout);
        Assert.Equal(1, jobs.Processes.Count);
        Assert.Equal(["akka.tcp://actors-worker@127.0.0.1:9001"], jobs.Processes.Nodes!);
        Assert.Equal(8, options.Buffers["items"].Capacity);
    }

    [Theory]
    [InlineData("Pools:jobs:ChunkSize", "-1", "Actors:Pools:jobs:ChunkSize: actors.pool.chunk-size = -1: must be 0 (automatic) or more")]
    [InlineData("Pools:jobs:WindowPerWorker", "1", "Actors:Pools:jobs:WindowPerWorker: actors.pool.window-per-worker = 1: must be at least chunks-per-worker")]
    [InlineData("Pools:jobs:TaskTimeout", "-00:00:01", "Actors:Pools:jobs:TaskTimeout: actors.pool.task-timeout")]
    [InlineData("Pools:jobs:Processes:WorkersPerProcess", "0", "Actors:Pools:jobs:Processes:WorkersPerProcess: actors.pool.processes.workers-per-process = 0: must be 1 to 1024")]
    [InlineData("Pools:jobs:Mode", "threads", "Actors:Pools:jobs:Mode: actors.pool.mode = threads: no such placement")]
    [InlineData("Pools:jobs:Router", "random", "Actors:Pools:jobs:Router = random: must be round-robin or smallest-mailbox")]
    [InlineData("Pools:jobs:Routees", "0", "Actors:Pools:jobs:Routees = 0: must be at least 1")]
    [InlineData("Pools:jobs:Mode", "processes", "Actors:Pools:jobs:Mode = processes: needs akka.actor.provider = remote, which mode 'local' does not set; set Actors:Mode = processes")]
    [InlineData("Pools:jobs:Mode", "cluster", "Actors:Pools:jobs:Mode = cluster: needs akka.actor.provider = cluster, which mode 'local' does not set; set Actors:Mode = cluster")]
    [InlineData("Buffers:items:Capacity", "0", "Actors:Buffers:items:Capacity: actors.buffer.capacity = 0: must be at least 1")]
    [InlineData("Buffers:jobs:Capacity", "4", "'jobs' names both a pool and a buffer")]
    [InlineData("Mode", "threads", "Actors:Mode = threads: unknown mode 'threads'")]
    [InlineData("AkkaLogLevel", "Verbose", "Actors:AkkaLogLevel = Verbose: must be one of Debug, Info, Warning, Error")]
    [InlineData("DefaultPool", "cubes", "Actors:DefaultPool = cubes: there is no such entry under Actors:Pools")]
    public void Validation_must_name_the_setting_as_configured_and_as_its_HOCON_key(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new Dictionary<string, string?>
        {
            ["Actors:Pools:jobs:Routees"] = "2",
            ["Actors:Buffers:items:Capacity"] = "4",
            [$"Actors:{key}"] = value,
        }));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Validation_must_refuse_a_buffer_only_configuration_declares_and_say_how_to_declare_it()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new Dictionary<string, string?> { ["Actors:Buffers:orders:Capacity"] = "4" }));

        Assert.Contains("Actors:Buffers:orders: no item type: declare the buffer in code with AddBoundedBuffer<T>(\"orders\")", error.Message);
    }

    [Fact]
    public void Validation_must_pass_the_sample_settings()
    {
        var options = Bind(new Dictionary<string, string?> { ["Actors:Pools:jobs:MaxAttempts"] = "1", ["Actors:Buffers:items:Capacity"] = "1024" });

        Assert.Equal(1, options.Pools["jobs"].MaxAttempts);
    }

    [Fact]
    public async Task A_host_with_invalid_options_must_refuse_to_start_and_say_why()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Actors:Pools:jobs:MaxAttempts"] = "0" });
        builder.Services.AddActors(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Actors:Pools:jobs:MaxAttempts: actors.pool.max-attempts = 0: must be at least 1", error.Message);
    }

    private static ActorsOptions Bind(string json, Action<ActorsBuilder>? configure = null) =>
        Resolve(new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build(), configure);

    private static ActorsOptions Bind(Dictionary<string, string?> values) =>
        Resolve(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), actors => actors.AddBoundedBuffer<int>("items"));

    private static ActorsOptions Resolve(IConfiguration configuration, Action<ActorsBuilder>? configure)
    {
        using var services = new ServiceCollection().AddActors(configuration, configure).BuildServiceProvider();
        return services.GetRequiredService<IOptions<ActorsOptions>>().Value;
    }
}
