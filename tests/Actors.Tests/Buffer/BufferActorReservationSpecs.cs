using Actors.Buffer;
using static Actors.Buffer.BufferProtocol;
using Akka.Actor;

namespace Actors.Tests.Buffer;

/// <summary>The buffer actor's flow control: slots producers reserve ahead, items consumers demand ahead, both counted against the capacity.</summary>
public sealed class BufferActorReservationSpecs : BufferActorSpec
{
    [Fact]
    public async Task Buffer_must_grant_reserved_slots_from_free_room_and_wait_for_room_when_full()
    {
        var buffer = Sys.ActorOf(BufferActor<int>.Props(4));
        var producer = CreateTestProbe();
        var other = CreateTestProbe();

        buffer.Tell(new Reserve(3), producer);
        await producer.ExpectMsgAsync(new Reserved(3));
        buffer.Tell(new Reserve(5), other);
        await other.ExpectMsgAsync(new Reserved(1));
        buffer.Tell(new Reserve(1), other);
        await other.ExpectNoMsgAsync(Quiet);

        var snapshot = await SnapshotAsync(buffer);
        Assert.Equal((0, 4, 1), (snapshot.Items.Count, snapshot.Reserved, snapshot.WaitingPuts));

        buffer.Tell(new Release(1), producer);
        await other.ExpectMsgAsync(new Reserved(1));
    }

    [Fact]
    public async Task Buffer_must_put_into_reserved_slots_at_once_and_top_them_up_when_asked()
    {
        var buffer = Sys.ActorOf(BufferActor<int>.Props(4));
        var producer = CreateTestProbe();
        var blocked = CreateTestProbe();

        buffer.Tell(new Reserve(2), producer);
        await producer.ExpectMsgAsync(new Reserved(2));
        buffer.Tell(new PutBatch<int>([1, 2]), blocked);
        buffer.Tell(new Put<int>(3), blocked);
        await blocked.ExpectMsgAsync(new Accepted(2));
        await blocked.ExpectNoMsgAsync(Quiet);
        await producer.ExpectMsgAsync(RoomWanted.Instance);

        // The reserved put overtakes the held one: its room was promised; no room is left to top up.
        buffer.Tell(new PutBatch<int>([10, 11], ReserveMore: 2), producer);
        await producer.ExpectMsgAsync(new Accepted(2, Granted: 0));
        Assert.Equal([1, 2, 10, 11], (await SnapshotAsync(buffer)).Items);
    }

    [Fact]
    public async Task Buffer_must_count_demanded_items_against_its_capacity_until_they_are_consumed()
    {
        var buffer = Sys.ActorOf(BufferActor<int>.Props(2));
        var consumer = CreateTestProbe();
        var producer = CreateTestProbe();

        buffer.Tell(new PutBatch<int>([1, 2]), producer);
        await producer.ExpectMsgAsync(new Accepted(2));
        buffer.Tell(new Demand(2), consumer);
        Assert.Equal([1, 2], (await consumer.ExpectMsgAsync<Taken<int>>()).Items);

        buffer.Tell(new Put<int>(3), producer);
        await consumer.ExpectMsgAsync(RoomWanted.Instance);
        await producer.ExpectNoMsgAsync(Quiet);
        Assert.Equal(2, (await SnapshotAsync(buffer)).HeldByConsumers);

        buffer.Tell(new Consumed(1), consumer);
        await producer.ExpectMsgAsync(new Accepted(1));
        buffer.Tell(new Demand(1, Consumed: 1), consumer);
        Assert.Equal([3], (await consumer.ExpectMsgAsync<Taken<int>>()).Items);
        Assert.Equal(1, (await SnapshotAsync(buffer)).HeldByConsumers);
    }

    [Fact]
    public async Task Buffer_must_ask_resting_producers_for_their_reserved_slots_when_another_waits()
    {
        var buffer = Sys.ActorOf(BufferActor<int>.Props(2));
        var resting = CreateTestProbe();
        var working = CreateTestProbe();

        buffer.Tell(new Reserve(2), resting);
        await resting.ExpectMsgAsync(new Reserved(2));
        buffer.Tell(new Put<int>(7), working);

        await resting.ExpectMsgAsync(RoomWanted.Instance);
        buffer.Tell(new Release(2), resting);
        await working.ExpectMsgAsync(new Accepted(1));
    }

    [Fact]
    public async Task Buffer_must_tell_producers_holding_reserved_slots_when_a_consumer_starts_waiting()
    {
        var buffer = Sys.ActorOf(BufferActor<int>.Props(8));
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();
        buffer.Tell(new Reserve(4), producer);
        await producer.ExpectMsgAsync(new Reserved(4));

        buffer.Tell(new Demand(2), consumer);
        buffer.Tell(new Take(2), consumer);

        await producer.ExpectMsgAsync(ItemsWanted.Instance);
        await producer.ExpectNoMsgAsync(Quiet);
        buffer.Tell(new PutBatch<int>([1, 2, 3]), producer);
        await producer.ExpectMsgAsync(new Accepted(3));
        Assert.Equal([1, 2], (await consumer.ExpectMsgAsync<Taken<int>>()).Items);
        Assert.Equal([3], (await consumer.ExpectMsgAsync<Taken<int>>()).Items);
    }
}
