using Actors.Buffer;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Buffer;

/// <summary>
/// Cancelling a waiting put or take of the typed face: a cancelled put added nothing, a cancelled
/// take took nothing, and under races no item is lost or delivered twice.
/// </summary>
public sealed class BoundedBufferCancellationSpecs : TestKit
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bounded_buffer_must_never_lose_or_duplicate_an_item_when_waiting_puts_are_cancelled()
    {
        var buffer = Create(capacity: 4);
        var accepted = new List<int>();
        var consumer = Task.Run(async () =>
        {
            var received = new List<int>();
            try
            {
                while (true)
                {
                    received.Add(await buffer.TakeAsync());
                    await Task.Yield();
                }
            }
            catch (BufferCompletedException)
            {
                return received;
            }
        });

        var attempts = 0;
        for (var i = 0; i < 2_000; i++)
        {
            using var cts = new CancellationTokenSource();
            var put = buffer.PutAsync(i, cts.Token).AsTask();
            if (!put.IsCompleted && i % 3 == 0)
            {
                attempts++;
                await cts.CancelAsync();
            }

            try
            {
                await put.Within(Long);
                accepted.Add(i);
            }
            catch (OperationCanceledException)
            {
                // Not added: it must never be taken.
            }
        }

        buffer.ProducerDone();
        var received = await consumer.Within(Long);
        Assert.Equal(accepted, received);
        Assert.True(attempts > 0, "no put waited when it was cancelled; the spec proved nothing");
    }

    [Fact]
    public async Task Bounded_buffer_must_not_add_the_item_of_a_put_cancelled_while_it_waited()
    {
        var buffer = Create(capacity: 2);
        await buffer.PutAsync(1);
        await buffer.PutAsync(2);
        using var cts = new CancellationTokenSource();

        var waiting = buffer.PutAsync(3, cts.Token).AsTask();
        await AwaitSnapshotAsync(buffer, snapshot => snapshot.WaitingPuts == 1, "the put never asked the buffer for room");
        await cts.CancelAsync();
        var cancelled = await Assert.ThrowsAsync<OperationCanceledException>(() => waiting.Within(Long));
        Assert.Equal(cts.Token, cancelled.CancellationToken);

        var next = buffer.PutAsync(4).AsTask();
        var taking = Task.Run(async () => new[] { await buffer.TakeAsync(), await buffer.TakeAsync(), await buffer.TakeAsync() });
        var taken = await taking.Within(Long);
        Assert.Equal([1, 2, 4], taken);
        await next.Within(Long);
    }

    [Fact]
    public async Task Bounded_buffer_must_hand_the_item_of_a_cancelled_take_to_the_next_take()
    {
        var buffer = Create(capacity: 10);
        using var cts = new CancellationTokenSource();

        var waiting = buffer.TakeAsync(cts.Token).AsTask();
        await AwaitSnapshotAsync(buffer, snapshot => snapshot.WaitingTakes == 1, "the take never reached the buffer");
        await cts.CancelAsync();
        var cancelled = await Assert.ThrowsAsync<OperationCanceledException>(() => waiting.Within(Long));
        Assert.Equal(cts.Token, cancelled.CancellationToken);

        await buffer.PutAsync(42);
        Assert.Equal(42, await buffer.TakeAsync().AsTask().Within(Long));
    }

    [Fact]
    public async Task Bounded_buffer_must_never_lose_or_duplicate_an_item_when_takes_are_cancelled()
    {
        const int items = 5_000;
        var buffer = Create(capacity: 8);
        var producing = Task.Run(async () =>
        {
            for (var i = 0; i < items; i++)
            {
                await buffer.PutAsync(i);
            }

            buffer.ProducerDone();
        });

        var received = new List<int>();
        var attempts = 0;
        while (true)
        {
            using var cts = new CancellationTokenSource();
            var take = buffer.TakeAsync(cts.Token).AsTask();
            if (!take.IsCompleted && received.Count % 7 == 0)
            {
                attempts++;
                await cts.CancelAsync();
            }

            try
            {
                received.Add(await take.Within(Long));
            }
            catch (OperationCanceledException)
            {
                // Took nothing: its item goes to a later take.
            }
            catch (BufferCompletedException)
            {
                break;
            }
        }

        await producing.Within(Long);
        Assert.Equal(Enumerable.Range(0, items), received);
        Assert.True(attempts > 0, "no take waited when it was cancelled; the spec proved nothing");
    }


    /// <summary>Waits until the buffer's snapshot satisfies <paramref name="condition"/>; gives up after <see cref="Long"/> saying <paramref name="what"/> never happened.</summary>
    private Task AwaitSnapshotAsync(BoundedBuffer<int> buffer, Func<BufferSnapshot<int>, bool> condition, string what) =>
        AwaitAssertAsync(async () => Assert.True(condition(await buffer.GetSnapshotAsync()), what), Long);

    private BoundedBuffer<int> Create(int capacity) =>
        BoundedBuffer<int>.Create(Sys, BufferSettings.Default with { Capacity = capacity });
}
