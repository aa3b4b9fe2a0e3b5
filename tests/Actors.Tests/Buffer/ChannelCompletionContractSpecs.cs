using System.Threading.Channels;

namespace Actors.Tests.Buffer;

/// <summary>
/// The channel contract on completion, run against the runtime's bounded channel and the buffer's
/// faces alike: a clean end, an end with an error, an end with a cancellation, and what waiting
/// readers and writers and <c>Completion</c> see.
/// </summary>
public sealed class ChannelCompletionContractSpecs : ChannelContractSpec
{
    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_end_cleanly_after_a_completion_without_an_error(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 4);
        Assert.True(writer.TryWrite(1));
        Assert.True(writer.TryWrite(2));

        Assert.True(writer.TryComplete());
        Assert.False(writer.TryComplete());
        Assert.False(reader.Completion.IsCompleted, "Completion settled while items were still to read");
        Assert.False(writer.TryWrite(3));
        var write = Assert.IsType<ChannelClosedException>(await FailureOf(writer.WriteAsync(3).AsTask()));
        Assert.Null(write.InnerException);
        Assert.False(await writer.WaitToWriteAsync().AsTask().WaitAsync(Long));

        Assert.Equal([1, 2], DrainNow(reader));
        Assert.True(reader.Completion.IsCompletedSuccessfully, "Completion did not settle at once when the last item was read");
        Assert.False(await reader.WaitToReadAsync().AsTask().WaitAsync(Long));
        var read = Assert.IsType<ChannelClosedException>(await FailureOf(reader.ReadAsync().AsTask()));
        Assert.Null(read.InnerException);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_settle_completion_at_once_when_completed_empty_and_nobody_reads(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 4);

        writer.Complete();

        Assert.True(reader.Completion.IsCompletedSuccessfully, "Completion of an empty completed channel was not complete at once");
        var waiting = reader.WaitToReadAsync();
        Assert.True(waiting.IsCompleted);
        Assert.False(await waiting);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_hand_the_producers_error_to_every_reader_after_the_items(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 4);
        var fault = new IOException("the producer's source broke");
        Assert.True(writer.TryWrite(1));
        Assert.True(writer.TryWrite(2));

        Assert.True(writer.TryComplete(fault));

        Assert.False(reader.Completion.IsCompleted, "Completion settled while items were still to read");
        Assert.Equal(1, await reader.ReadAsync().AsTask().WaitAsync(Long));
        Assert.True(await reader.WaitToReadAsync().AsTask().WaitAsync(Long));
        Assert.True(reader.TryRead(out var second));
        Assert.Equal(2, second);

        Assert.True(reader.Completion.IsFaulted, "Completion did not fault at once when the last item was read");
        Assert.Same(fault, await FailureOf(reader.Completion));
        Assert.Same(fault, await FailureOf(reader.WaitToReadAsync().AsTask()));
        var read = Assert.IsType<ChannelClosedException>(await FailureOf(reader.ReadAsync().AsTask()));
        Assert.Same(fault, read.InnerException);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_hand_the_producers_error_to_writers(string factory)
    {
        var (writer, _) = Create(factory, capacity: 4);
        var fault = new IOException("the producer's source broke");

        writer.Complete(fault);

        Assert.False(writer.TryWrite(1));
        var write = Assert.IsType<ChannelClosedException>(await FailureOf(writer.WriteAsync(1).AsTask()));
        Assert.Same(fault, write.InnerException);
        Assert.Same(fault, await FailureOf(writer.WaitToWriteAsync().AsTask()));
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_end_a_read_of_everything_with_the_producers_error(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 8);
        var fault = new IOException("the producer's source broke");
        var received = new List<int>();
        var reading = Task.Run(async () =>
        {
            await foreach (var item in reader.ReadAllAsync())
            {
                received.Add(item);
            }
        });

        await writer.WriteAsync(1);
        await writer.WriteAsync(2);
        writer.Complete(fault);

        Assert.Same(fault, await FailureOf(reading));
        Assert.Equal([1, 2], received);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_fail_waiting_readers_and_writers_with_the_error_it_was_completed_with(string factory)
    {
        var (emptyWriter, emptyReader) = Create(factory, capacity: 1);
        var (fullWriter, _) = Create(factory, capacity: 1);
        Assert.True(fullWriter.TryWrite(1));
        var fault = new IOException("the producer's source broke");

        var read = emptyReader.ReadAsync().AsTask();
        var waitToRead = emptyReader.WaitToReadAsync().AsTask();
        var write = fullWriter.WriteAsync(2).AsTask();
        var waitToWrite = fullWriter.WaitToWriteAsync().AsTask();
        Assert.False(read.IsCompleted || waitToRead.IsCompleted || write.IsCompleted || waitToWrite.IsCompleted, "a call did not wait");
        emptyWriter.Complete(fault);
        fullWriter.Complete(fault);

        Assert.Same(fault, Assert.IsType<ChannelClosedException>(await FailureOf(read)).InnerException);
        Assert.Same(fault, await FailureOf(waitToRead));
        Assert.Same(fault, Assert.IsType<ChannelClosedException>(await FailureOf(write)).InnerException);
        Assert.Same(fault, await FailureOf(waitToWrite));
        Assert.Same(fault, await FailureOf(emptyReader.Completion));
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_cancel_completion_when_completed_with_a_cancellation(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 4);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        writer.Complete(new OperationCanceledException(cts.Token));

        Assert.True(reader.Completion.IsCanceled, "Completion was not cancelled at once");
        var read = Assert.IsAssignableFrom<OperationCanceledException>(await FailureOf(reader.ReadAsync().AsTask()));
        Assert.Equal(cts.Token, read.CancellationToken);
        Assert.IsAssignableFrom<OperationCanceledException>(await FailureOf(writer.WriteAsync(1).AsTask()));
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_settle_completion_when_a_waiting_reader_sees_the_end(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 4);
        var waiting = reader.WaitToReadAsync().AsTask();

        writer.Complete();

        Assert.False(await waiting.WaitAsync(Long));
        await reader.Completion.WaitAsync(Long);
        Assert.True(reader.Completion.IsCompletedSuccessfully);
    }
}
