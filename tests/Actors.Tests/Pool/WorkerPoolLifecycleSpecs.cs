using Actors.Jobs;
using Actors.Pool;
using Akka.Actor;
using Akka.Routing;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

/// <summary>A pool's life as a .NET resource and a Python pool: open, completing (close + join), disposed (terminate).</summary>
public sealed class WorkerPoolLifecycleSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.deployment {
      /workers { router = round-robin-pool, nr-of-instances = 2 }
      /empty { router = round-robin-pool, nr-of-instances = 0 }
    }
    """, output)
{
    [Fact]
    public async Task Pool_must_refuse_every_call_once_disposed()
    {
        var pool = WorkerPool.Create(Sys, "workers");
        await pool.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.MapAsync(new SquareJob(), [1L]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.SubmitAsync(new SquareJob(), 1L));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.MapOutcomesAsync(new SquareJob(), [1L]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.GetStatusAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.WhenReadyAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await foreach (var _ in pool.MapUnorderedAsync(new SquareJob(), [1L])) { }
        });
        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await foreach (var _ in pool.MapOrderedAsync(new SquareJob(), Inputs(1))) { }
        });
    }

    [Fact]
    public async Task Pool_must_end_the_calls_still_running_when_it_is_disposed()
    {
        var pool = WorkerPool.Create(Sys, "workers");
        using var gate = Gate.Create();
        try
        {
            var map = pool.MapAsync(new GatedSquareJob(), [gate.Input(1, hold: true)]);
            await AwaitAssertAsync(() => Assert.Equal(1, gate.Held), Patience);

            await pool.DisposeAsync().AsTask().WaitAsync(Patience);

            var e = await Assert.ThrowsAsync<ObjectDisposedException>(() => map.WaitAsync(Patience));
            Assert.Contains("was disposed while this call ran", e.Message);
        }
        finally
        {
            gate.Release();
        }
    }

    [Fact]
    public async Task Pool_must_take_disposing_twice_as_once()
    {
        var pool = WorkerPool.Create(Sys, "workers");
        var first = pool.DisposeAsync().AsTask();
        var second = pool.DisposeAsync().AsTask();

        await Task.WhenAll(first, second).WaitAsync(Patience);
        await pool.DisposeAsync().AsTask().WaitAsync(Patience);
    }

    [Fact]
    public async Task Pool_must_finish_the_running_work_and_refuse_new_work_while_completing_then_stop()
    {
        var pool = WorkerPool.Create(Sys, "workers");
        using var gate = Gate.Create();
        var map = pool.MapAsync(new GatedSquareJob(), Enumerable.Range(0, 8).Select(i => gate.Input(i, hold: i == 0)), new MapOptions { ChunkSize = 1 });
        await AwaitAssertAsync(() => Assert.Equal(1, gate.Held), Patience);

        var completing = pool.CompleteAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => pool.SubmitAsync(new SquareJob(), 2L));
        Assert.False(completing.IsCompleted); // the map is still running
        gate.Release();

        Assert.Equal(Squares(8), await map.WaitAsync(Patience));
        await completing.WaitAsync(Patience);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.SubmitAsync(new SquareJob(), 2L));
    }

    [Fact]
    public async Task Pool_must_end_its_calls_and_refuse_new_ones_when_its_manager_is_stopped()
    {
        var pool = WorkerPool.Create(Sys, "workers");
        using var gate = Gate.Create();
        try
        {
            var map = pool.MapAsync(new GatedSquareJob(), [gate.Input(1, hold: true)]);
            var submit = pool.SubmitAsync(new GatedSquareJob(), gate.Input(2, hold: true));
            await AwaitAssertAsync(() => Assert.Equal(2, gate.Held), Patience);

            Sys.Stop(pool.Manager); // as when its actor system shuts down under it

            var e = await Assert.ThrowsAsync<ObjectDisposedException>(() => map.WaitAsync(Patience));
            Assert.Contains("its manager actor is gone", e.Message);
            await Assert.ThrowsAsync<ObjectDisposedException>(() => submit.WaitAsync(Patience));
            await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.MapAsync(new SquareJob(), [1L]).WaitAsync(Patience));
            await pool.DisposeAsync().AsTask().WaitAsync(Patience);
        }
        finally
        {
            gate.Release();
        }
    }

    [Fact]
    public async Task Pool_must_end_its_calls_when_its_manager_fails_instead_of_forgetting_them()
    {
        var pool = WorkerPool.Create(Sys, "workers");
        using var gate = Gate.Create();
        try
        {
            var map = pool.MapAsync(new GatedSquareJob(), [gate.Input(1, hold: true)]);
            await AwaitAssertAsync(() => Assert.Equal(1, gate.Held), Patience);

            // A message the manager cannot handle stands for a bug in it.
            await EventFilter.Exception<NullReferenceException>().ExpectOneAsync(() =>
            {
                pool.Manager.Tell(new StartJob(long.MaxValue, null!, TestActor));
                return Task.CompletedTask;
            });

            var e = await Assert.ThrowsAsync<ObjectDisposedException>(() => map.WaitAsync(Patience));
            Assert.Contains("its manager actor is gone", e.Message);
        }
        finally
        {
            gate.Release();
        }
    }

    [Fact]
    public async Task Pool_must_end_its_calls_when_its_actor_system_terminates()
    {
        var system = ActorSystem.Create("pool-shutdown", "akka.loglevel = WARNING");
        using var gate = Gate.Create();
        try
        {
            var pool = WorkerPool.Create(system, "workers", new RoundRobinPool(2));
            var map = pool.MapAsync(new GatedSquareJob(), [gate.Input(1, hold: true)]);
            await AwaitAssertAsync(() => Assert.Equal(1, gate.Held), Patience);

            await system.Terminate().WaitAsync(Patience);

            await Assert.ThrowsAsync<ObjectDisposedException>(() => map.WaitAsync(Patience));
        }
        finally
        {
            gate.Release();
            await system.Terminate().WaitAsync(Patience);
        }
    }

    [Fact]
    public void Pool_must_refuse_a_router_without_routees_when_it_is_created()
    {
        // Out of range, as Python's Pool(0) is a ValueError: the same exception in every mode.
        var configured = Assert.Throws<ArgumentOutOfRangeException>(() => WorkerPool.Create(Sys, "empty"));
        Assert.Contains("at least 1", configured.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkerPool.Create(Sys, "in-code", new RoundRobinPool(-1)));
    }

    private static async IAsyncEnumerable<long> Inputs(int count)
    {
        for (long i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }
}
