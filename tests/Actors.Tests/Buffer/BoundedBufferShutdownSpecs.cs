using Actors.Buffer;
using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Buffer;

/// <summary>
/// The typed face when its actor stops, alone or with its actor system: calls waiting for room or
/// items end with <see cref="BufferCompletedException"/> instead of waiting forever.
/// </summary>
public sealed class BoundedBufferShutdownSpecs : TestKit
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    private BoundedBuffer<int> Create(int capacity) =>
        BoundedBuffer<int>.Create(Sys, BufferSettings.Default with { Capacity = capacity });

    [Fact]
    public async Task Bounded_buffer_must_end_waiting_calls_when_its_actor_stops()
    {
        var buffer = Create(capacity: 1);
        await buffer.PutAsync(1);
        var put = buffer.PutAsync(2).AsTask();
        var other = Create(capacity: 1);
        var take = other.TakeAsync().AsTask();
        await AwaitAssertAsync(async () => Assert.Equal(1, (await other.GetSnapshotAsync()).WaitingTakes), Long);

        Sys.Stop(buffer.Ref);
        Sys.Stop(other.Ref);

        var putError = await Assert.ThrowsAsync<BufferCompletedException>(() => put.WaitAsync(Long));
        Assert.Contains("stopped", putError.Message);
        await Assert.ThrowsAsync<BufferCompletedException>(() => take.WaitAsync(Long));
        await Assert.ThrowsAsync<BufferCompletedException>(() => buffer.PutAsync(3).AsTask().WaitAsync(Long));
    }

    [Fact]
    public async Task Bounded_buffer_must_end_waiting_puts_and_takes_when_its_actor_system_terminates()
    {
        var system = ActorSystem.Create("buffer-shutdown", "akka.loglevel = WARNING");
        try
        {
            var full = BoundedBuffer<int>.Create(system, BufferSettings.Default with { Capacity = 1 });
            var empty = BoundedBuffer<int>.Create(system, BufferSettings.Default with { Capacity = 1 });
            await full.PutAsync(1);
            var put = full.PutAsync(2).AsTask();
            var take = empty.TakeAsync().AsTask();
            await AwaitAssertAsync(async () => Assert.Equal(1, (await empty.GetSnapshotAsync()).WaitingTakes), Long);

            await system.Terminate().WaitAsync(Long);

            var putError = await Assert.ThrowsAsync<BufferCompletedException>(() => put.WaitAsync(Long));
            Assert.Contains("stopped", putError.Message);
            await Assert.ThrowsAsync<BufferCompletedException>(() => take.WaitAsync(Long));
        }
        finally
        {
            await system.Terminate().WaitAsync(Long);
        }
    }
}
