using Actors.Buffer;
using Actors.Configuration;
using Actors.Hosting;
using Actors.Jobs;
using Actors.Pool;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using HostingTestKit = Akka.Hosting.TestKit.TestKit;

namespace Actors.Hosting.Tests;

/// <summary>The library in an Akka.Hosting host: pools and a buffer from configuration and code, injected by name.</summary>
public sealed class HostedPoolsSpecs() : HostingTestKit("hosted-pools")
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // The application's own HOCON: beneath its options, above the library's defaults.
    protected override Config Config => ConfigurationFactory.ParseString("actors.pool.max-attempts = 5");

    protected override void ConfigureServices(HostBuilderContext context, IServiceCollection services)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Actors:Pools:squares:Routees"] = "3",
            ["Actors:Pools:squares:MaxAttempts"] = "2",
            ["Actors:Buffers:items:Capacity"] = "2",
        }).Build();
        services.AddActors(configuration, actors => actors
            .AddWorkerPool("squares", pool => pool.Routees = 1) // configuration overrides this
            .AddWorkerPool("other", pool => pool.Router = "smallest-mailbox")
            .AddBoundedBuffer<string>("items"));
    }

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) => builder.WithActorsHosting(provider);

    [Fact]
    public async Task Host_must_inject_a_pool_by_name_that_maps()
    {
        var pool = Host.Services.GetRequiredKeyedService<IWorkerPool>("squares");

        Assert.Equal("squares", pool.Name);
        Assert.Equal(new long[] { 1, 4, 9 }, await pool.MapAsync(new SquareJob(), [1L, 2, 3], cancellationToken: Cancel));
        Assert.Equal(3, (await pool.GetStatusAsync(Cancel)).Routees);
    }

    [Fact]
    public async Task Host_must_create_its_pools_and_buffers_when_it_starts()
    {
        // Nothing has been injected yet: the actors exist because the host started.
        foreach (var name in new[] { "squares", "other", "items" })
            Assert.NotNull(await Sys.ActorSelection($"/user/{name}").ResolveOne(Wait, Cancel));
    }

    [Fact]
    public void Host_must_refuse_an_unnamed_pool_among_several_and_name_them()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Host.Services.GetRequiredService<IWorkerPool>());

        Assert.Contains("other, squares", error.Message);
        Assert.Contains("Actors:DefaultPool", error.Message);
    }

    [Fact]
    public void Host_must_refuse_a_pool_it_does_not_have_and_name_the_ones_it_has()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Host.Services.GetRequiredKeyedService<IWorkerPool>("cubes"));

        Assert.Contains("no pool named 'cubes'", error.Message);
        Assert.Contains("other, squares", error.Message);
    }

    [Fact]
    public async Task Host_must_inject_its_only_buffer_by_name_and_without_one()
    {
        var byName = Host.Services.GetRequiredKeyedService<BoundedBuffer<string>>("items");
        var byDefault = Host.Services.GetRequiredService<BoundedBuffer<string>>();

        await byName.PutAsync("a", Cancel);
        await byName.PutAsync("b", Cancel);
        Assert.Equal("a", await byDefault.TakeAsync(Cancel));
        Assert.Equal("b", await byDefault.TakeAsync(Cancel));
        Assert.Equal(2, (await byName.GetSnapshotAsync(Cancel)).Capacity);
    }

    [Fact]
    public void Host_must_refuse_a_buffer_asked_for_with_another_item_type_and_name_the_one_it_holds()
    {
        var hosted = Host.Services.GetRequiredService<HostedActors>();

        var error = Assert.Throws<InvalidOperationException>(() => hosted.Buffer<int>("items"));

        Assert.Contains("holds System.String, not System.Int32", error.Message);
    }

    [Fact]
    public void Settings_must_take_options_over_the_apps_HOCON_over_the_library_defaults()
    {
        var hosted = Host.Services.GetRequiredService<HostedActors>();

        Assert.Equal(2, hosted.SettingsOf("squares").MaxAttempts);               // Actors:Pools:squares:MaxAttempts
        Assert.Equal(5, hosted.SettingsOf("other").MaxAttempts);                 // the app's HOCON
        Assert.Equal(PoolSettings.Default.ChunksPerWorker, hosted.SettingsOf("other").ChunksPerWorker); // reference.conf
        Assert.Equal("local", hosted.SettingsOf("other").Mode);
    }

    [Fact]
    public void Library_defaults_must_leave_the_apps_loggers_alone()
    {
        // The test kit chose its own logger; reference.conf must neither choose one nor override it.
        Assert.False(ActorsConfig.Defaults.HasPath("akka.loggers"));
        Assert.All(Sys.Settings.Config.GetStringList("akka.loggers"), logger => Assert.DoesNotContain("ReadableConsoleLogger", logger));
        Assert.Equal(ActorsConfig.Defaults.GetInt("actors.buffer.max-batch"), Sys.Settings.Config.GetInt("actors.buffer.max-batch"));
    }
}
