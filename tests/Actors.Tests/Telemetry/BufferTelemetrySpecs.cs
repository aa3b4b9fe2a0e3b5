using Actors.Buffer;
using Actors.Configuration;
using Actors.Telemetry;

namespace Actors.Tests.Telemetry;

/// <summary>
/// What a bounded buffer reports through the library's meter, read with the OpenTelemetry SDK's
/// in-memory exporter: items put and taken, its fill level, the producers and consumers waiting.
/// </summary>
public sealed class BufferTelemetrySpecs() : Akka.TestKit.Xunit2.TestKit(ActorsConfig.Defaults)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Buffer_must_count_items_put_and_taken_and_report_its_fill_and_its_waiters()
    {
        using var telemetry = new TelemetryRecorder();
        var buffer = Sys.ActorOf(BufferActor<int>.Props(capacity: 2), "telemetry-buffer");
        var (first, second, producer, later) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe(), CreateTestProbe());

        // Two consumers park on the empty buffer.
        buffer.Tell(new Take(1), first.Ref);
        buffer.Tell(new Take(1), second.Ref);
        await AwaitAssertAsync(() => Assert.Equal(2, Waiting("consumer")), Patience);

        // Three items: two go straight to them, one stays; two more: one fills the buffer, one is held.
        foreach (var item in new[] { 1, 2, 3 }) buffer.Tell(new Put<int>(item), producer.Ref);
        await first.ExpectMsgAsync<Taken<int>>();
        await second.ExpectMsgAsync<Taken<int>>();
        buffer.Tell(new Put<int>(4), later.Ref);
        buffer.Tell(new Put<int>(5), later.Ref);
        await later.ExpectMsgAsync<Accepted>();
        await AwaitAssertAsync(() =>
        {
            Assert.Equal((4L, 2L), (telemetry.BufferSum("actors.buffer.items.put", "telemetry-buffer"), telemetry.BufferSum("actors.buffer.items.taken", "telemetry-buffer")));
            Assert.Equal(2, telemetry.BufferSum("actors.buffer.items", "telemetry-buffer"));
            Assert.Equal((1L, 0L), (Waiting("producer"), Waiting("consumer")));
        }, Patience);

        // A take makes room: the held item goes in.
        buffer.Tell(new Take(1), first.Ref);
        await first.ExpectMsgAsync<Taken<int>>();
        await later.ExpectMsgAsync<Accepted>();
        await AwaitAssertAsync(() =>
        {
            Assert.Equal((5L, 3L), (telemetry.BufferSum("actors.buffer.items.put", "telemetry-buffer"), telemetry.BufferSum("actors.buffer.items.taken", "telemetry-buffer")));
            Assert.Equal((2L, 0L), (telemetry.BufferSum("actors.buffer.items", "telemetry-buffer"), Waiting("producer")));
        }, Patience);

        long Waiting(string side) => telemetry.BufferSum("actors.buffer.waiting", "telemetry-buffer", (TagNames.BufferSide, side));
    }
}
