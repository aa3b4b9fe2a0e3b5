using Actors.Hosting;
using Actors.Jobs;
using Actors.Pool;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.Hosting.Tests;

/// <summary>Stopping a host drains its pools: calls running then finish, within the drain phase's timeout, then the pools stop.</summary>
public sealed class HostedShutdownSpecs
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stopping_the_host_must_let_running_calls_finish_then_stop_the_pools()
    {
        using var host = await StartAsync(drainTimeout: "30s");
        var pool = host.Services.GetRequiredService<IWorkerPool>();
        GateJob.Close();

        var map = pool.MapAsync(new GateJob(), [1L, 2], cancellationToken: Cancel);
        await GateJob.Entered.Task.WaitAsync(Wait, Cancel);
        var stopping = host.StopAsync(Cancel);
        await UntilCompletingAsync(pool);
        GateJob.Open();

        Assert.Equal(new long[] { 1, 2 }, await map.WaitAsync(Wait, Cancel));
        await stopping.WaitAsync(Wait, Cancel);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.MapAsync(new SquareJob(), [1L], cancellationToken: Cancel));
    }

    [Fact]
    public async Task Stopping_the_host_must_stop_calls_still_running_when_the_drain_phase_times_out()
    {
        using var host = await StartAsync(drainTimeout: "1s");
        var pool = host.Services.GetRequiredService<IWorkerPool>();
        GateJob.Close();
        try
        {
            var map = pool.MapAsync(new GateJob(), [1L], cancellationToken: Cancel);
            await GateJob.Entered.Task.WaitAsync(Wait, Cancel);

            await host.StopAsync(Cancel).WaitAsync(Wait, Cancel);

            await Assert.ThrowsAsync<ObjectDisposedException>(() => map.WaitAsync(Wait, Cancel));
        }
        finally
        {
            GateJob.Open();
        }
    }

    [Fact]
    public async Task Disposing_the_host_without_stopping_it_must_stop_the_pools()
    {
        var host = await StartAsync(drainTimeout: "30s");
        var pool = host.Services.GetRequiredService<IWorkerPool>();

        host.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.MapAsync(new SquareJob(), [1L], cancellationToken: Cancel));
    }

    private static async Task<IHost> StartAsync(string drainTimeout)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddActors(configure: actors => actors.AddWorkerPool("gated", pool => pool.Routees = 2));
        builder.Services.AddAkka("hosted-shutdown", (akka, services) => akka
            .AddHocon(ConfigurationFactory.ParseString($"akka.coordinated-shutdown.phases.service-requests-done.timeout = {drainTimeout}"), HoconAddMode.Prepend)
            .WithActorsHosting(services));
        var host = builder.Build();
        await host.StartAsync(Cancel);
        return host;
    }

    /// <summary>Waits until the pool takes no new calls: the drain has begun.</summary>
    private static async Task UntilCompletingAsync(IWorkerPool pool)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        deadline.CancelAfter(Wait);
        while (true)
        {
            try
            {
                await pool.GetStatusAsync(Cancel);
            }
            catch (InvalidOperationException)
            {
                return;
            }
            if (deadline.IsCancellationRequested) throw new TimeoutException($"the pool was still taking calls {Wait} after the host began to stop");
            // The drain starts on the host's own thread: there is no event to await but the refusal itself.
            await Task.Delay(10, CancellationToken.None);
        }
    }
}

/// <summary>Returns its input once the test opens the gate: a call that is running for as long as a test needs.</summary>
public sealed class GateJob : IAsyncJob<long, long>
{
    private static TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when a worker has started a <see cref="GateJob"/>.</summary>
    public static TaskCompletionSource Entered { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Close()
    {
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public static void Open() => _gate.TrySetResult();

    public async Task<long> RunAsync(long input, CancellationToken cancellationToken)
    {
        Entered.TrySetResult();
        await _gate.Task.WaitAsync(cancellationToken);
        return input;
    }
}
