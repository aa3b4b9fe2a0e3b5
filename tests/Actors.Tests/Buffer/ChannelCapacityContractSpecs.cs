namespace Actors.Tests.Buffer;

/// <summary>
/// The channel contract on room and items, run against the runtime's bounded channel and the
/// buffer's faces alike: <c>TryWrite</c>/<c>TryRead</c>/<c>TryPeek</c>/<c>Count</c> at empty, partly
/// full and full, the exact bound, and the calls that complete synchronously.
/// </summary>
public sealed class ChannelCapacityContractSpecs : ChannelContractSpec
{
    [Theory]
    [MemberData(nameof(Factories))]
    public void Channel_must_read_nothing_and_accept_a_write_when_empty(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 4);

        Assert.True(reader.CanCount);
        Assert.True(reader.CanPeek);
        Assert.Equal(0, reader.Count);
        Assert.False(reader.TryRead(out _));
        Assert.False(reader.TryPeek(out _));
        Assert.True(writer.TryWrite(7), "TryWrite refused an item while the channel was empty");
        Assert.Equal(1, reader.Count);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public void Channel_must_read_every_item_written_when_partly_full(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 10);
        for (var i = 1; i <= 3; i++)
        {
            Assert.True(writer.TryWrite(i), $"TryWrite refused item {i} of 3 into a capacity of 10");
        }

        Assert.Equal(3, reader.Count);
        Assert.True(reader.TryPeek(out var head));
        Assert.Equal(1, head);
        Assert.Equal(3, reader.Count);
        Assert.True(writer.TryComplete());
        Assert.Equal([1, 2, 3], DrainNow(reader));
        Assert.Equal(0, reader.Count);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_refuse_exactly_the_item_beyond_its_capacity_and_take_one_per_freed_slot(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 10);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(writer.TryWrite(i), $"TryWrite refused item {i} while the channel had room");
        }

        Assert.False(writer.TryWrite(10), "TryWrite accepted an item beyond the capacity");
        var waitToWrite = writer.WaitToWriteAsync().AsTask();
        var write = writer.WriteAsync(10).AsTask();
        Assert.False(waitToWrite.IsCompleted || write.IsCompleted, "a call found room in a full channel");
        Assert.Equal(10, reader.Count);

        Assert.True(reader.TryRead(out var first));
        Assert.Equal(0, first);
        await write.WaitAsync(Long);
        Assert.False(writer.TryWrite(11), "one read made room for two items");

        Assert.True(reader.TryRead(out _));
        Assert.True(await waitToWrite.WaitAsync(Long));
        Assert.True(writer.TryWrite(11), "TryWrite refused an item while the channel had room");
        Assert.False(writer.TryWrite(12));
        Assert.Equal(10, reader.Count);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_complete_writes_synchronously_while_it_has_room(string factory)
    {
        var (writer, _) = Create(factory, capacity: 2);

        var waitToWrite = writer.WaitToWriteAsync();
        Assert.True(waitToWrite.IsCompleted, "WaitToWriteAsync waited while the channel had room");
        Assert.True(await waitToWrite);
        var write = writer.WriteAsync(1);
        Assert.True(write.IsCompletedSuccessfully, "WriteAsync waited while the channel had room");
        await write;
        Assert.True(writer.TryWrite(2));
        Assert.False(writer.WaitToWriteAsync().IsCompleted, "WaitToWriteAsync found room in a full channel");
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_complete_reads_synchronously_while_it_holds_items(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 4);
        Assert.False(reader.WaitToReadAsync().IsCompleted, "WaitToReadAsync found an item in an empty channel");
        await writer.WriteAsync(1);
        await writer.WriteAsync(2);

        var waitToRead = reader.WaitToReadAsync();
        Assert.True(waitToRead.IsCompleted, "WaitToReadAsync waited while the channel held items");
        Assert.True(await waitToRead);
        var read = reader.ReadAsync();
        Assert.True(read.IsCompletedSuccessfully, "ReadAsync waited while the channel held items");
        Assert.Equal(1, await read);
        Assert.True(reader.TryRead(out var second));
        Assert.Equal(2, second);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public async Task Channel_must_hand_a_waiting_reader_the_next_item_written(string factory)
    {
        var (writer, reader) = Create(factory, capacity: 1);
        var read = reader.ReadAsync().AsTask();
        var waitToRead = reader.WaitToReadAsync().AsTask();
        Assert.False(read.IsCompleted || waitToRead.IsCompleted, "a read did not wait on an empty channel");

        Assert.True(writer.TryWrite(5));
        Assert.Equal(5, await read.WaitAsync(Long));
        Assert.True(writer.TryWrite(6), "the item handed to a waiting reader still took the room");
        Assert.True(await waitToRead.WaitAsync(Long));
        Assert.True(reader.TryRead(out var next));
        Assert.Equal(6, next);
    }
}
