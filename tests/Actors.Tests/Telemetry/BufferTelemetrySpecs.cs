using System.Threading.Channels;
using Actors.Buffer;
using Actors.Configuration;
using Actors.Telemetry;
using static Actors.Buffer.BufferProtocol;

namespace Actors.Tests.Telemetry;

/// <summary>
/// What a bounded buffer reports through the library's meter, read with the OpenTelemetry SDK's
/// in-memory exporter: items put and taken (exactly, whether they came through the actor's protocol
/// or the faces), its fill level and capacity, and the producers and consumers waiting.
/// </summary>
public sealed class BufferTelemetrySpecs() : Akka.TestKit.Xunit2.TestKit(ActorsConfig.Defaults)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Buffer_must_count_items_put_and_taken_through_its_protocol_and_report_its_fill_and_its_waiters()
    {
        using var telemetry = new TelemetryRecorder(tracing: false);
        const string name = "telemetry-buffer-actor";
        var buffer = Sys.ActorOf(BufferActor<int>.Props(capacity: 2), name);
        var (first, second, producer, later) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe(), CreateTestProbe());

        // Two consumers park on the empty buffer.
        buffer.Tell(new Take(1), first.Ref);
        buffer.Tell(new Take(1), second.Ref);
        await AwaitAssertAsync(() => Assert.Equal((0L, 2L), Waiting(telemetry, name)), Patience);

        // Three items: two go straight to them, one stays; two more: one fills the buffer, one is held.
        foreach (var item in new[] { 1, 2, 3 })
        {
            buffer.Tell(new Put<int>(item), producer.Ref);
        }

        await first.ExpectMsgAsync<Taken<int>>();
        await second.ExpectMsgAsync<Taken<int>>();
        buffer.Tell(new Put<int>(4), later.Ref);
        buffer.Tell(new Put<int>(5), later.Ref);
        await later.ExpectMsgAsync<Accepted>();
        await AwaitAssertAsync(() =>
        {
            Assert.Equal((4L, 2L), Moved(telemetry, name));
            Assert.Equal((2L, 2L), (telemetry.BufferSum(BufferInstruments.Usage, name), telemetry.BufferSum(BufferInstruments.Limit, name)));
            Assert.Equal((1L, 0L), Waiting(telemetry, name));
        }, Patience);

        // A take of two makes room: the held item goes in.
        buffer.Tell(new Take(2), first.Ref);
        Assert.Equal([3, 4], (await first.ExpectMsgAsync<Taken<int>>()).Items);
        await later.ExpectMsgAsync<Accepted>();
        Assert.Equal((5L, 4L), Moved(telemetry, name));
        Assert.Equal(1L, telemetry.BufferSum(BufferInstruments.Usage, name));
        await AwaitAssertAsync(() => Assert.Equal((0L, 0L), Waiting(telemetry, name)), Patience); // the actor counts its waiters after its reply
    }

    [Fact]
    public async Task Buffer_must_count_items_put_and_taken_through_its_faces_and_report_their_waiters()
    {
        using var telemetry = new TelemetryRecorder(tracing: false);
        const string name = "telemetry-buffer-faces";
        var buffer = BoundedBuffer<int>.Create(Sys, BufferSettings.Default with { Capacity = 3 }, name: name);

        // An empty buffer: a take and a wait to read wait for an item (measured once its actor has started).
        var take = buffer.TakeAsync();
        var waitToRead = buffer.Reader.WaitToReadAsync();
        await AwaitAssertAsync(() => Assert.Equal((0L, 2L), Waiting(telemetry, name)), Patience);

        // The first item goes to the take; the wait to read still waits for one that stays.
        await buffer.PutAsync(1);
        Assert.Equal(1, await take.AsTask().WaitAsync(Patience));
        Assert.Equal((0L, 1L), Waiting(telemetry, name));
        Assert.True(buffer.Writer.TryWrite(2));
        Assert.True(await waitToRead.AsTask().WaitAsync(Patience));
        await buffer.Writer.WriteAsync(3);
        await buffer.PutAsync(4);

        // Full: a put and a wait to write wait for room; TryWrite refuses and counts nothing.
        var put = buffer.PutAsync(5);
        var waitToWrite = buffer.Writer.WaitToWriteAsync();
        Assert.False(buffer.Writer.TryWrite(6));
        Assert.Equal((4L, 1L), Moved(telemetry, name));
        Assert.Equal((3L, 3L), (telemetry.BufferSum(BufferInstruments.Usage, name), telemetry.BufferSum(BufferInstruments.Limit, name)));
        Assert.Equal((2L, 0L), Waiting(telemetry, name));

        // A read makes room for the waiting put, whose item goes in.
        Assert.True(buffer.Reader.TryRead(out var second));
        Assert.Equal(2, second);
        await put.AsTask().WaitAsync(Patience);
        Assert.False(waitToWrite.IsCompleted); // the room went to the put
        Assert.Equal((5L, 2L), Moved(telemetry, name));
        Assert.Equal((3L, (1L, 0L)), (telemetry.BufferSum(BufferInstruments.Usage, name), Waiting(telemetry, name)));

        // A cancelled take no longer waits, and took nothing.
        Assert.Equal(3, await buffer.Reader.ReadAsync());
        Assert.True(await waitToWrite.AsTask().WaitAsync(Patience));
        Assert.Equal((4, 5), (await buffer.TakeAsync(), await buffer.TakeAsync()));
        using var cancel = new CancellationTokenSource();
        var cancelled = buffer.TakeAsync(cancel.Token);
        Assert.Equal((0L, 1L), Waiting(telemetry, name));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.AsTask().WaitAsync(Patience));
        Assert.Equal((5L, 5L), Moved(telemetry, name));
        Assert.Equal((0L, (0L, 0L)), (telemetry.BufferSum(BufferInstruments.Usage, name), Waiting(telemetry, name)));
    }

    [Fact]
    public async Task Buffer_must_count_each_item_once_when_a_face_and_an_actor_meet()
    {
        using var telemetry = new TelemetryRecorder(tracing: false);
        const string name = "telemetry-buffer-mixed";
        var buffer = BoundedBuffer<int>.Create(Sys, BufferSettings.Default with { Capacity = 4 }, name: name);
        var (consumer, producer) = (CreateTestProbe(), CreateTestProbe());

        // An actor's take waits; a face's put goes straight to it.
        buffer.Ref.Tell(new Take(10), consumer.Ref);
        await AwaitAssertAsync(() => Assert.Equal((0L, 1L), Waiting(telemetry, name)), Patience);
        await buffer.PutAsync(1);
        Assert.Equal([1], (await consumer.ExpectMsgAsync<Taken<int>>()).Items);

        // An actor's batch goes in; a face reads two of it.
        buffer.Ref.Tell(new PutBatch<int>([2, 3, 4]), producer.Ref);
        await producer.ExpectMsgAsync<Accepted>();
        Assert.Equal((2, 3), (await buffer.TakeAsync(), await buffer.Reader.ReadAsync()));

        Assert.Equal((4L, 3L), Moved(telemetry, name));
        Assert.Equal(1L, telemetry.BufferSum(BufferInstruments.Usage, name));
        Assert.Equal((0L, 0L), Waiting(telemetry, name));
    }

    private static (long Put, long Taken) Moved(TelemetryRecorder telemetry, string buffer) =>
        (telemetry.BufferSum(BufferInstruments.ItemsPut, buffer), telemetry.BufferSum(BufferInstruments.ItemsTaken, buffer));

    private static (long Producers, long Consumers) Waiting(TelemetryRecorder telemetry, string buffer) =>
        (telemetry.BufferSum(BufferInstruments.Waiting, buffer, (TagNames.BufferSide, "producer")),
         telemetry.BufferSum(BufferInstruments.Waiting, buffer, (TagNames.BufferSide, "consumer")));
}
