using Actors.Processes;
using Actors.Configuration;
using Actors.Jobs;
using Actors.Pool;
using Akka.Configuration;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

public sealed class PoolConfigurationSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.deployment {
      /configured { router = smallest-mailbox-pool, nr-of-instances = 2 }
      /grouped { router = round-robin-group, routees.paths = ["/user/somewhere"] }
    }
    """, output)
{
    [Fact]
    public async Task Pool_must_take_its_router_from_the_deployment_of_its_name()
    {
        await using var pool = WorkerPool.Create(Sys, "configured");

        Assert.Equal("configured", pool.Name);
        Assert.Equal(2, (await pool.GetStatusAsync()).Routees);
        Assert.Equal(Squares(5), await pool.MapAsync(new SquareJob(), Longs(5)).WaitAsync(Patience));
    }

    [Fact]
    public void Pool_must_name_the_missing_deployment_key_when_no_router_is_configured()
    {
        var e = Assert.Throws<ArgumentException>(() => WorkerPool.Create(Sys, "unconfigured"));

        Assert.Contains("akka.actor.deployment", e.Message);
        Assert.Contains("/unconfigured", e.Message);
        Assert.Contains("round-robin-pool", e.Message);
    }

    [Fact]
    public void Pool_must_refuse_a_group_router()
    {
        var e = Assert.Throws<ArgumentException>(() => WorkerPool.Create(Sys, "grouped"));

        Assert.Contains("grouped", e.Message);
        Assert.Contains("pool router", e.Message);
    }

    [Fact]
    public void Pool_must_refuse_invalid_settings_given_in_code()
    {
        var e = Assert.Throws<ConfigException>(() => WorkerPool.Create(Sys, "configured", settings: PoolSettings.Default with { MaxAttempts = 0 }));

        Assert.Contains("actors.pool.max-attempts = 0", e.Message);
    }

    [Fact]
    public void Settings_must_read_the_library_defaults()
    {
        var settings = PoolSettings.Create(ActorsConfig.Defaults.GetConfig("actors.pool"));

        Assert.Equal(PoolSettings.Default with { Section = settings.Section }, settings);
        Assert.Equal(("local", 0, 4096, 2, 8, 3), (settings.Mode, settings.ChunkSize, settings.MaxAutoChunkSize, settings.ChunksPerWorker, settings.WindowPerWorker, settings.MaxAttempts));
        Assert.Null(settings.TaskTimeout);
        Assert.Equal((TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)), (settings.TickInterval, settings.AskTimeout, settings.StopTimeout));
        var processes = ProcessPlacement.Settings(settings.Section);
        Assert.Equal((0, 1, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), true), (processes.Count, processes.WorkersPerProcess, processes.StartTimeout, processes.OrderlyStopTimeout, processes.Spawn));
    }

    [Fact]
    public void Settings_must_read_overridden_values()
    {
        var settings = Read("""
            chunk-size = 16
            max-attempts = 5
            task-timeout = 2s
            chunks-per-worker = 3
            window-per-worker = 6
            processes.count = 2
            """);

        Assert.Equal((16, 5, TimeSpan.FromSeconds(2), 3, 6, 2),
            (settings.ChunkSize, settings.MaxAttempts, settings.TaskTimeout, settings.ChunksPerWorker, settings.WindowPerWorker, ProcessPlacement.Settings(settings.Section).Count));
    }

    [Theory]
    [InlineData("max-attempts = 0", "actors.pool.max-attempts")]
    [InlineData("chunk-size = -1", "actors.pool.chunk-size")]
    [InlineData("max-auto-chunk-size = 0", "actors.pool.max-auto-chunk-size")]
    [InlineData("chunks-per-worker = 0", "actors.pool.chunks-per-worker")]
    [InlineData("chunks-per-worker = 4\nwindow-per-worker = 2", "actors.pool.window-per-worker")]
    [InlineData("tick-interval = 0s", "actors.pool.tick-interval")]
    [InlineData("mode = threads", "actors.pool.mode")]
    [InlineData("processes.count = -1", "actors.pool.processes.count")]
    [InlineData("processes.workers-per-process = 0", "actors.pool.processes.workers-per-process")]
    [InlineData("processes.start-timeout = 0s", "actors.pool.processes.start-timeout")]
    [InlineData("max-attempts = lots", "actors.pool.max-attempts")]
    [InlineData("task-timeout = soon", "actors.pool.task-timeout")]
    [InlineData("processes.spawn = perhaps", "actors.pool.processes.spawn")]
    [InlineData("processes.max-restarts-per-minute = 99999999999", "actors.pool.processes.max-restarts-per-minute")]
    [InlineData("chunk-size = abc", "actors.pool.chunk-size")]
    [InlineData("ask-timeout = 0s", "actors.pool.ask-timeout")]
    [InlineData("stop-timeout = -1s", "actors.pool.stop-timeout")]
    [InlineData("processes.orderly-stop-timeout = 0s", "actors.pool.processes.orderly-stop-timeout")]
    [InlineData("processes.nodes = [\"not an address\"]", "actors.pool.processes.nodes")]
    public void Settings_must_refuse_a_bad_value_naming_its_key(string hocon, string key)
    {
        var e = Assert.Throws<ConfigException>(() => Read(hocon));

        Assert.StartsWith(key + " = ", e.Message);
    }

    private static PoolSettings Read(string hocon) =>
        PoolSettings.Create(ConfigurationFactory.ParseString(hocon).WithFallback(ActorsConfig.Defaults.GetConfig("actors.pool")));
}
