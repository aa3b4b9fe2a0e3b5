using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Actors.Tests.Buffer;

/// <summary>
/// The channel contract for callers that wait, run against the runtime's bounded channel and the
/// buffer's faces alike: cancellation of waiting reads and writes (the caller's token in the
/// exception, nothing lost or added), many concurrent readers and writers with every item exactly
/// once, and <c>ReadAllAsync</c> to the end and after completion.
/// </summary>
public sealed class ChannelWaitingContractSpecs : ChannelContractSpec
{
    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_cancel_a_waiting_read_with_the_callers_token_and_lose_no_item(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 4);
        using var cts = new CancellationTokenSource();
        var read = reader.ReadAsync(cts.Token).AsTask();
        var waitToRead = reader.WaitToReadAsync(cts.Token).AsTask();
        Assert.False(read.IsCompleted || waitToRead.IsCompleted, "a read did not wait on an empty channel");

        await cts.CancelAsync();

        var readCancelled = Assert.IsType<OperationCanceledException>(await FailureOf(read));
        Assert.Equal(cts.Token, readCancelled.CancellationToken);
        var waitCancelled = Assert.IsType<OperationCanceledException>(await FailureOf(waitToRead));
        Assert.Equal(cts.Token, waitCancelled.CancellationToken);
        Assert.True(writer.TryWrite(42));
        Assert.Equal(42, await reader.ReadAsync().AsTask().WaitAsync(Long));
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_cancel_a_waiting_write_with_the_callers_token_and_not_add_its_item(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 2);
        Assert.True(writer.TryWrite(1));
        Assert.True(writer.TryWrite(2));
        using var cts = new CancellationTokenSource();
        var write = writer.WriteAsync(3, cts.Token).AsTask();
        var waitToWrite = writer.WaitToWriteAsync(cts.Token).AsTask();
        Assert.False(write.IsCompleted || waitToWrite.IsCompleted, "a write did not wait on a full channel");

        await cts.CancelAsync();

        var writeCancelled = Assert.IsType<OperationCanceledException>(await FailureOf(write));
        Assert.Equal(cts.Token, writeCancelled.CancellationToken);
        var waitCancelled = Assert.IsType<OperationCanceledException>(await FailureOf(waitToWrite));
        Assert.Equal(cts.Token, waitCancelled.CancellationToken);
        Assert.True(reader.TryRead(out _));
        Assert.True(writer.TryWrite(4), "the cancelled write kept the room it waited for");
        writer.Complete();
        Assert.Equal([2, 4], DrainNow(reader));
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_refuse_a_call_whose_token_is_already_cancelled(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 2);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        Assert.IsAssignableFrom<OperationCanceledException>(await FailureOf(reader.ReadAsync(cts.Token).AsTask()));
        Assert.IsAssignableFrom<OperationCanceledException>(await FailureOf(reader.WaitToReadAsync(cts.Token).AsTask()));
        Assert.IsAssignableFrom<OperationCanceledException>(await FailureOf(writer.WriteAsync(1, cts.Token).AsTask()));
        Assert.IsAssignableFrom<OperationCanceledException>(await FailureOf(writer.WaitToWriteAsync(cts.Token).AsTask()));
        Assert.Equal(0, reader.Count);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_deliver_every_item_exactly_once_and_in_each_writers_order_to_many_readers(string factory)
    {
        const int writers = 4, readers = 4, each = 5_000, capacity = 16;
        var (writer, reader) = Create(factory, capacity);
        var received = new ConcurrentQueue<(int Reader, int Item)>();
        var overfull = 0;

        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                var item = (w * each) + i;
                if (i % 2 == 0)
                {
                    await writer.WriteAsync(item);
                }
                else
                {
                    while (!writer.TryWrite(item))
                    {
                        Assert.True(await writer.WaitToWriteAsync(), "the channel was completed under a writer");
                    }
                }
            }
        })).ToArray();
        var reading = Enumerable.Range(0, readers).Select(r => Task.Run(async () =>
        {
            if (r % 2 == 0)
            {
                await foreach (var item in reader.ReadAllAsync())
                {
                    received.Enqueue((r, item));
                }

                return;
            }

            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var item))
                {
                    if (reader.Count > capacity)
                    {
                        Interlocked.Increment(ref overfull);
                    }

                    received.Enqueue((r, item));
                }
            }
        })).ToArray();

        await Task.WhenAll(writing).WaitAsync(Long);
        writer.Complete();
        await Task.WhenAll(reading).WaitAsync(Long);
        await reader.Completion.WaitAsync(Long);

        Assert.Equal(Enumerable.Range(0, writers * each), received.Select(r => r.Item).Order());
        Assert.Equal(0, overfull);
        foreach (var byReader in received.GroupBy(r => r.Reader))
        {
            foreach (var byWriter in byReader.GroupBy(r => r.Item / each))
            {
                var items = byWriter.Select(r => r.Item).ToList();
                Assert.Equal(items.Order(), items);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_read_everything_to_the_end_and_nothing_after_completion(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 3);
        var reading = Task.Run(async () =>
        {
            var items = new List<int>();
            await foreach (var item in reader.ReadAllAsync())
            {
                items.Add(item);
            }

            return items;
        });

        for (var i = 0; i < 100; i++)
        {
            await writer.WriteAsync(i).AsTask().WaitAsync(Long);
        }

        writer.Complete();
        Assert.Equal(Enumerable.Range(0, 100), await reading.WaitAsync(Long));
        Assert.True(reader.Completion.IsCompletedSuccessfully);

        var after = new List<int>();
        await foreach (var item in reader.ReadAllAsync().WithCancellation(CancellationToken.None))
        {
            after.Add(item);
        }

        Assert.Empty(after);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_end_a_read_of_everything_when_its_token_fires(string factory)
    {
        var (_, reader) = Create(factory, capacity: 3);
        using var cts = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            await foreach (var item in reader.ReadAllAsync(cts.Token))
            {
                Assert.Fail($"read {item} from an empty channel");
            }
        });

        await cts.CancelAsync();

        Assert.IsAssignableFrom<OperationCanceledException>(await FailureOf(reading));
        Assert.False(reader.Completion.IsCompleted);
    }
}
