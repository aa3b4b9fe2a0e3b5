using Actors.Buffer;
using static Actors.Buffer.BufferProtocol;
using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Buffer;

/// <summary>The buffer actor's message protocol, driven by probes as actors use it.</summary>
public sealed class BufferActorSpecs : BufferActorSpec
{
    [Fact]
    public async Task Buffer_must_hand_out_items_in_the_order_they_were_put()
    {
        var buffer = Sys.ActorOf(BufferActor<int>.Props(10));

        buffer.Tell(new Put<int>(1));
        buffer.Tell(new PutBatch<int>([2, 3, 4]));
        await ExpectMsgAsync(new Accepted(1));
        await ExpectMsgAsync(new Accepted(3));

        buffer.Tell(new Take(3));
        Assert.Equal([1, 2, 3], (await ExpectMsgAsync<Taken<int>>()).Items);
        buffer.Tell(new Take(3));
        Assert.Equal([4], (await ExpectMsgAsync<Taken<int>>()).Items);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(10000)]
    public async Task Buffer_must_block_producer_when_full(int capacity)
    {
        var buffer = Sys.ActorOf(BufferActor<int>.Props(capacity));
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();

        buffer.Tell(new PutBatch<int>(Numbers(0, capacity)), producer);
        await producer.ExpectMsgAsync(new Accepted(capacity));
        buffer.Tell(new Put<int>(capacity), producer);
        await producer.ExpectNoMsgAsync(Quiet);

        var full = await SnapshotAsync(buffer);
        Assert.Equal(capacity, full.Items.Count);
        Assert.Equal(1, full.WaitingPuts);

        buffer.Tell(new Take(1), consumer);
        Assert.Equal([0], (await consumer.ExpectMsgAsync<Taken<int>>()).Items);
        await producer.ExpectMsgAsync(new Accepted(1));

        var after = await SnapshotAsync(buffer);
        Assert.Equal(capacity, after.Items.Count);
        Assert.Equal(0, after.WaitingPuts);
        Assert.Equal(capacity, after.Items[^1]);
    }

    [Fact]
    public async Task Buffer_must_take_a_batch_larger_than_its_capacity_piece_by_piece_in_order()
    {
        var buffer = Sys.ActorOf(BufferActor<int>.Props(3));
        var producer = CreateTestProbe();

        buffer.Tell(new PutBatch<int>(Numbers(0, 10)), producer);
        buffer.Tell(new Put<int>(10), producer);
        var taken = new List<int>();
        while (taken.Count < 11)
        {
            buffer.Tell(new Take(2));
            taken.AddRange((await ExpectMsgAsync<Taken<int>>()).Items);
        }

        Assert.Equal(Numbers(0, 11), taken);
        await producer.ExpectMsgAsync(new Accepted(10));
        await producer.ExpectMsgAsync(new Accepted(1));
    }

    [Fact]
    public async Task Buffer_must_serve_waiting_consumers_when_items_arrive()
    {
        var buffer = Sys.ActorOf(BufferActor<string>.Props(10));
        var first = CreateTestProbe();
        var second = CreateTestProbe();

        buffer.Tell(new Take(5), first);
        buffer.Tell(new Take(5), second);
        await first.ExpectNoMsgAsync(Quiet);
        Assert.Equal(2, (await SnapshotAsync<string>(buffer)).WaitingTakes);

        buffer.Tell(new PutBatch<string>(["a"]));
        await ExpectMsgAsync(new Accepted(1));
        Assert.Equal(["a"], (await first.ExpectMsgAsync<Taken<string>>()).Items);
        await second.ExpectNoMsgAsync(Quiet);

        buffer.Tell(new PutBatch<string>(["b", "c"]));
        await ExpectMsgAsync(new Accepted(2));
        Assert.Equal(["b", "c"], (await second.ExpectMsgAsync<Taken<string>>()).Items);
    }

    [Fact]
    public async Task Buffer_must_cap_a_take_at_max_batch()
    {
        var buffer = Sys.ActorOf(BufferActor<int>.Props(BufferSettings.Default with { Capacity = 100, MaxBatch = 4 }));

        buffer.Tell(new PutBatch<int>(Numbers(0, 10)));
        await ExpectMsgAsync(new Accepted(10));
        buffer.Tell(new Take(100));

        Assert.Equal(Numbers(0, 4), (await ExpectMsgAsync<Taken<int>>()).Items);
    }

    [Fact]
    public async Task Buffer_must_complete_consumers_after_they_drained_what_is_left()
    {
        var buffer = Sys.ActorOf(BufferActor<int>.Props(10, producers: 2));
        var waiting = CreateTestProbe();
        buffer.Tell(new PutBatch<int>([1, 2, 3]));
        await ExpectMsgAsync(new Accepted(3));

        buffer.Tell(ProducerDone.Instance);
        Assert.False((await SnapshotAsync(buffer)).IsCompleted);
        buffer.Tell(ProducerDone.Instance);
        Assert.True((await SnapshotAsync(buffer)).IsCompleted);

        buffer.Tell(new Take(2));
        Assert.Equal([1, 2], (await ExpectMsgAsync<Taken<int>>()).Items);
        buffer.Tell(new Take(2), waiting);
        Assert.Equal([3], (await waiting.ExpectMsgAsync<Taken<int>>()).Items);
        buffer.Tell(new Take(2));
        await ExpectMsgAsync(Completed.Instance);
        buffer.Tell(new Take(2));
        await ExpectMsgAsync(Completed.Instance);
    }

    [Fact]
    public async Task Buffer_must_complete_parked_consumers_and_still_deliver_held_puts()
    {
        var buffer = Sys.ActorOf(BufferActor<int>.Props(1));
        var producer = CreateTestProbe();
        var parked = CreateTestProbe();

        buffer.Tell(new PutBatch<int>([1, 2]), producer);
        buffer.Tell(Complete.Instance);
        buffer.Tell(new Take(5));
        Assert.Equal([1], (await ExpectMsgAsync<Taken<int>>()).Items);
        buffer.Tell(new Take(5));
        Assert.Equal([2], (await ExpectMsgAsync<Taken<int>>()).Items);
        await producer.ExpectMsgAsync(new Accepted(2));

        buffer.Tell(new Take(1), parked);
        await parked.ExpectMsgAsync(Completed.Instance);

        var other = Sys.ActorOf(BufferActor<int>.Props(1));
        other.Tell(new Take(1), parked);
        await parked.ExpectNoMsgAsync(Quiet);
        other.Tell(Complete.Instance);
        await parked.ExpectMsgAsync(Completed.Instance);
    }

    [Fact]
    public async Task Buffer_must_wait_for_reserved_slots_before_it_reports_completed()
    {
        var buffer = Sys.ActorOf(BufferActor<int>.Props(4));
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();

        buffer.Tell(new Reserve(3), producer);
        await producer.ExpectMsgAsync(new Reserved(3));
        buffer.Tell(new Take(4), consumer);
        await producer.ExpectMsgAsync(ItemsWanted.Instance);
        buffer.Tell(Complete.Instance);
        await producer.ExpectMsgAsync(Completing.Instance);

        buffer.Tell(new Reserve(1), producer);
        Assert.Equal(0, (await producer.ExpectMsgAsync<PutRefused>()).Count);
        buffer.Tell(new PutBatch<int>([5, 6]), producer);
        await producer.ExpectMsgAsync(new Accepted(2));
        Assert.Equal([5, 6], (await consumer.ExpectMsgAsync<Taken<int>>()).Items);

        buffer.Tell(new Take(4), consumer);
        await consumer.ExpectNoMsgAsync(Quiet);
        buffer.Tell(new Release(1), producer);
        await consumer.ExpectMsgAsync(Completed.Instance);
    }

    [Fact]
    public async Task Buffer_must_refuse_a_put_after_completion()
    {
        var buffer = Sys.ActorOf(BufferActor<int>.Props(10));
        buffer.Tell(ProducerDone.Instance);

        buffer.Tell(new Put<int>(1));
        var refused = await ExpectMsgAsync<PutRefused>();
        Assert.Equal(1, refused.Count);
        Assert.Contains("completed", refused.Reason);

        buffer.Tell(new PutBatch<int>([1, 2]));
        Assert.Equal(2, (await ExpectMsgAsync<PutRefused>()).Count);
        Assert.Empty((await SnapshotAsync(buffer)).Items);
    }

    [Fact]
    public async Task Buffer_must_answer_a_withdrawn_take_with_take_cancelled()
    {
        var buffer = Sys.ActorOf(BufferActor<string>.Props(10));
        var consumer = CreateTestProbe();
        buffer.Tell(new Take(1), consumer);
        buffer.Tell(new Demand(1), consumer);
        buffer.Tell(new Take(1));

        buffer.Tell(CancelTake.Instance, consumer);
        await consumer.ExpectMsgAsync(TakeCancelled.Instance);
        await consumer.ExpectMsgAsync(TakeCancelled.Instance);

        buffer.Tell(new Put<string>("x"));
        await ExpectMsgAsync(new Accepted(1));
        Assert.Equal(["x"], (await ExpectMsgAsync<Taken<string>>()).Items);
        await consumer.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task Buffer_must_report_its_changes_to_the_observer_in_order()
    {
        var observer = CreateTestProbe();
        var buffer = Sys.ActorOf(BufferActor<int>.Props(BufferSettings.Default with { Capacity = 5 }, producers: 1, observer: observer));

        buffer.Tell(new PutBatch<int>([1, 2]));
        buffer.Tell(new Take(1));
        buffer.Tell(ProducerDone.Instance);
        buffer.Tell(new Take(1));

        var added = await observer.ExpectMsgAsync<ItemsAdded<int>>();
        Assert.Equal([1, 2], added.Items);
        Assert.Equal([1, 2], added.Contents);
        var removed = await observer.ExpectMsgAsync<ItemsRemoved<int>>();
        Assert.Equal([1], removed.Items);
        Assert.Equal([2], removed.Contents);
        Assert.Empty((await observer.ExpectMsgAsync<ItemsRemoved<int>>()).Contents);
        await observer.ExpectMsgAsync(Completed.Instance);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Buffer_must_reject_a_capacity_below_one(int capacity)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BufferActor<int>.Props(capacity));
        Assert.Contains("actors.buffer.capacity", error.Message);
        Assert.Contains("at least 1", error.Message);
    }
}
