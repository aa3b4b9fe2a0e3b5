using System.Threading.Channels;
using Actors.Buffer;
using static Actors.Buffer.BufferProtocol;
using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Buffer;

/// <summary>The typed face, item by item: bounds, order, completion and cancellation while it batches underneath.</summary>
public sealed class BoundedBufferSpecs : TestKit
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bounded_buffer_must_deliver_every_item_in_order_from_one_producer_to_one_consumer()
    {
        const int items = 100_000;
        var buffer = Create(capacity: 64);

        var producing = Task.Run(async () =>
        {
            for (var i = 0; i < items; i++)
            {
                await buffer.PutAsync(i);
            }

            buffer.ProducerDone();
        });
        var received = await TakeAllAsync(buffer).Within(Long);
        await producing.Within(Long);

        Assert.Equal(Enumerable.Range(0, items), received);
    }

    [Fact]
    public async Task Bounded_buffer_must_hold_its_bound_and_order_under_a_slow_consumer()
    {
        const int capacity = 16;
        const int items = 2_000;
        var buffer = Create(capacity);
        long taken = 0;
        var worst = 0L;

        var producing = Task.Run(async () =>
        {
            for (var i = 0; i < items; i++)
            {
                await buffer.PutAsync(i);

                // Items accepted and not yet taken, from the user's side; the consumer counts a take
                // right after it returns, so one item may be taken and not yet counted.
                worst = Math.Max(worst, i + 1 - Interlocked.Read(ref taken));
            }

            buffer.ProducerDone();
        });
        var consuming = Task.Run(async () =>
        {
            var received = new List<int>();
            try
            {
                while (true)
                {
                    received.Add(await buffer.TakeAsync());
                    Interlocked.Increment(ref taken);
                    if (received.Count % 50 == 0)
                    {
                        await Task.Delay(1); // a consumer slower than its producer
                    }
                }
            }
            catch (BufferCompletedException)
            {
                return received;
            }
        });

        await producing.Within(Long);
        var received = await consuming.Within(Long);
        Assert.Equal(Enumerable.Range(0, items), received);
        Assert.InRange(worst, 1, capacity + 1);
    }

    [Fact]
    public async Task Bounded_buffer_must_keep_order_and_lose_nothing_under_a_slow_producer()
    {
        const int items = 300;
        var buffer = Create(capacity: 1024);

        var producing = Task.Run(async () =>
        {
            for (var i = 0; i < items; i++)
            {
                await buffer.PutAsync(i);
                if (i % 10 == 0)
                {
                    await Task.Delay(1); // a producer slower than its consumer: items go one at a time
                }
            }

            buffer.ProducerDone();
        });
        var received = await TakeAllAsync(buffer).Within(Long);
        await producing.Within(Long);

        Assert.Equal(Enumerable.Range(0, items), received);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(1024)]
    public async Task Bounded_buffer_must_hold_the_put_beyond_its_capacity_counting_items_held_in_its_faces(int capacity)
    {
        var buffer = Create(capacity);
        for (var i = 0; i < capacity; i++)
        {
            await buffer.PutAsync(i).AsTask().Within(Long);
        }

        var beyond = buffer.PutAsync(capacity).AsTask();
        await AwaitSnapshotAsync(buffer, snapshot => snapshot.WaitingPuts == 1, "the put beyond the capacity never asked the buffer for room");
        Assert.False(beyond.IsCompleted, $"a put beyond the capacity of {capacity} was accepted");
        var snapshot = await buffer.GetSnapshotAsync();
        Assert.Equal(capacity, snapshot.Items.Count + snapshot.Reserved + snapshot.HeldByConsumers);

        // A take frees exactly one item's room, even though the consumer face draws a batch.
        Assert.Equal(0, await buffer.TakeAsync().AsTask().Within(Long));
        await beyond.Within(Long);
        var next = buffer.PutAsync(capacity + 1).AsTask();
        await AwaitSnapshotAsync(buffer, snapshot => snapshot.WaitingPuts == 1, "the next put beyond the capacity never asked the buffer for room");
        Assert.False(next.IsCompleted, "a take made room for two puts");
    }

    [Fact]
    public async Task Bounded_buffer_must_drain_every_item_before_it_reports_completion()
    {
        var buffer = Create(capacity: 1024);
        for (var i = 0; i < 100; i++)
        {
            await buffer.PutAsync(i);
        }

        buffer.Complete();

        await Assert.ThrowsAsync<BufferCompletedException>(() => buffer.PutAsync(100).AsTask());
        var received = new List<int>();
        await foreach (var item in buffer.Reader.ReadAllAsync().WithCancellation(CancellationToken.None))
        {
            received.Add(item);
        }

        Assert.Equal(Enumerable.Range(0, 100), received);
        await buffer.Reader.Completion.Within(Long);
        await Assert.ThrowsAsync<BufferCompletedException>(() => buffer.TakeAsync().AsTask());
        Assert.True((await buffer.GetSnapshotAsync()).IsCompleted);
    }

    [Fact]
    public async Task Bounded_buffer_must_complete_after_as_many_producer_done_calls_as_producers()
    {
        var buffer = BoundedBuffer<int>.Create(Sys, BufferSettings.Default with { Capacity = 10 }, producers: 2);
        await buffer.PutAsync(1);
        buffer.ProducerDone();
        Assert.Equal(1, await buffer.TakeAsync().AsTask().Within(Long));

        var waiting = buffer.TakeAsync().AsTask();
        await buffer.PutAsync(2);
        Assert.Equal(2, await waiting.Within(Long));
        buffer.ProducerDone();

        await Assert.ThrowsAsync<BufferCompletedException>(() => buffer.TakeAsync().AsTask().Within(Long));
    }

    [Fact]
    public async Task Bounded_buffer_channel_faces_must_behave_as_a_bounded_channel()
    {
        var buffer = Create(capacity: 2);

        Assert.True(await buffer.Writer.WaitToWriteAsync().AsTask().Within(Long));
        Assert.True(buffer.Writer.TryWrite(1));
        await buffer.Writer.WriteAsync(2).AsTask().Within(Long);
        Assert.False(buffer.Writer.TryWrite(3));

        Assert.True(await buffer.Reader.WaitToReadAsync().AsTask().Within(Long));
        Assert.True(buffer.Reader.TryRead(out var first));
        Assert.Equal(1, first);
        Assert.Equal(2, await buffer.Reader.ReadAsync().AsTask().Within(Long));

        buffer.Writer.Complete();
        await Assert.ThrowsAsync<ChannelClosedException>(() => buffer.Writer.WriteAsync(4).AsTask());
        Assert.False(await buffer.Reader.WaitToReadAsync().AsTask().Within(Long));
        await Assert.ThrowsAsync<ChannelClosedException>(() => buffer.Reader.ReadAsync().AsTask());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(64)]
    public async Task Bounded_buffer_channel_faces_must_move_every_item_in_order_under_load(int capacity)
    {
        const int items = 200_000;
        var buffer = Create(capacity);

        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < items; i++)
            {
                while (!buffer.Writer.TryWrite(i))
                {
                    Assert.True(await buffer.Writer.WaitToWriteAsync(), "the writer was closed before it finished");
                }
            }

            buffer.Writer.Complete();
        });
        var reading = Task.Run(async () =>
        {
            var received = new List<int>(items);
            await foreach (var item in buffer.Reader.ReadAllAsync())
            {
                received.Add(item);
            }

            return received;
        });

        await writing.Within(Long);
        Assert.Equal(Enumerable.Range(0, items), await reading.Within(Long));
    }

    [Fact]
    public async Task Bounded_buffer_must_serve_a_producer_and_a_consumer_that_only_poll()
    {
        const int items = 10_000;
        var buffer = Create(capacity: 16);

        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < items; i++)
            {
                while (!buffer.Writer.TryWrite(i))
                {
                    await Task.Yield();
                }
            }

            buffer.Writer.Complete();
        });
        var reading = Task.Run(async () =>
        {
            var received = new List<int>(items);
            while (received.Count < items)
            {
                if (buffer.Reader.TryRead(out var item))
                {
                    received.Add(item);
                }
                else
                {
                    await Task.Yield();
                }
            }

            return received;
        });

        await writing.Within(Long);
        Assert.Equal(Enumerable.Range(0, items), await reading.Within(Long));
    }

    [Fact]
    public async Task Bounded_buffer_must_give_resting_slots_to_an_actor_that_puts_into_the_same_buffer()
    {
        var buffer = Create(capacity: 2);
        await buffer.PutAsync(1);
        Assert.Equal(1, await buffer.TakeAsync().AsTask().Within(Long));

        // The face now rests with a reserved slot; an actor's put must still get the room.
        var producer = CreateTestProbe();
        buffer.Ref.Tell(new PutBatch<int>([2, 3]), producer);
        await producer.ExpectMsgAsync(new Accepted(2));
        Assert.Equal(2, await buffer.TakeAsync().AsTask().Within(Long));
        Assert.Equal(3, await buffer.TakeAsync().AsTask().Within(Long));
    }

    /// <summary>Waits until the buffer's snapshot satisfies <paramref name="condition"/>; gives up after <see cref="Long"/> saying <paramref name="what"/> never happened.</summary>
    private Task AwaitSnapshotAsync(BoundedBuffer<int> buffer, Func<BufferSnapshot<int>, bool> condition, string what) =>
        AwaitAssertAsync(async () => Assert.True(condition(await buffer.GetSnapshotAsync()), what), Long);

    private BoundedBuffer<int> Create(int capacity) =>
        BoundedBuffer<int>.Create(Sys, BufferSettings.Default with { Capacity = capacity });

    private static Task<List<int>> TakeAllAsync(BoundedBuffer<int> buffer) => Task.Run(async () =>
    {
        var received = new List<int>();
        try
        {
            while (true)
            {
                received.Add(await buffer.TakeAsync());
            }
        }
        catch (BufferCompletedException)
        {
            return received;
        }
    });
}
