using Actors.Buffer;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using static Actors.Buffer.BufferProtocol;

namespace Actors.Tests.Buffer;

/// <summary>
/// What the typed face reports and hands out when asked: a take of up to <c>max</c> gets what is
/// there, the snapshot counts items wherever they sit and only callers that really wait, and actors
/// and face callers serve each other.
/// </summary>
public sealed class BoundedBufferStatusSpecs : TestKit
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bounded_buffer_must_hand_a_take_of_up_to_max_items_what_is_there()
    {
        var buffer = Create(capacity: 1024);
        for (var i = 1; i <= 5; i++)
        {
            await buffer.PutAsync(i);
        }

        // As the sample's GET /buffer/take?max=10 does: wait for one item, then take what is there.
        var items = new List<int> { await buffer.TakeAsync().AsTask().WaitAsync(Long) };
        while (items.Count < 10 && buffer.Reader.TryRead(out var item))
        {
            items.Add(item);
        }

        Assert.Equal([1, 2, 3, 4, 5], items);
    }

    [Fact]
    public async Task Bounded_buffer_snapshot_must_count_items_wherever_they_sit_and_only_takes_that_wait()
    {
        var buffer = Create(capacity: 10);
        Assert.Equal(0, (await buffer.GetSnapshotAsync()).WaitingTakes);
        for (var i = 1; i <= 3; i++)
        {
            await buffer.PutAsync(i);
        }

        var snapshot = await buffer.GetSnapshotAsync();
        Assert.Equal([1, 2, 3], snapshot.Items);
        Assert.Equal((0, 0), (snapshot.WaitingTakes, snapshot.WaitingPuts));

        Assert.Equal(1, await buffer.TakeAsync().AsTask().WaitAsync(Long));
        snapshot = await buffer.GetSnapshotAsync();
        Assert.Equal([2, 3], snapshot.Items);
        Assert.Equal(0, snapshot.WaitingTakes);

        var empty = Create(capacity: 10);
        using var cts = new CancellationTokenSource();
        var waiting = empty.TakeAsync(cts.Token).AsTask();
        Assert.Equal(1, (await empty.GetSnapshotAsync()).WaitingTakes);
        await cts.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => waiting.WaitAsync(Long));
        Assert.Equal(0, (await empty.GetSnapshotAsync()).WaitingTakes);
    }

    [Fact]
    public async Task Bounded_buffer_must_answer_an_actors_waiting_take_with_an_item_a_face_writes()
    {
        var buffer = Create(capacity: 4);
        var consumer = CreateTestProbe();
        buffer.Ref.Tell(new Take(10), consumer);
        await AwaitAssertAsync(async () => Assert.Equal(1, (await buffer.GetSnapshotAsync()).WaitingTakes), Long);

        Assert.True(buffer.Writer.TryWrite(9));

        var taken = await consumer.ExpectMsgAsync<Taken<int>>();
        Assert.Equal([9], taken.Items);
    }

    [Fact]
    public async Task Bounded_buffer_must_answer_a_waiting_face_read_with_an_item_an_actor_puts()
    {
        var buffer = Create(capacity: 4);
        var read = buffer.Reader.ReadAsync().AsTask();
        var producer = CreateTestProbe();

        buffer.Ref.Tell(new Put<int>(3), producer);

        await producer.ExpectMsgAsync(new Accepted(1));
        Assert.Equal(3, await read.WaitAsync(Long));
    }

    [Fact]
    public async Task Bounded_buffer_must_let_an_actors_held_put_in_when_a_face_read_makes_room()
    {
        var buffer = Create(capacity: 1);
        Assert.True(buffer.Writer.TryWrite(1));
        var producer = CreateTestProbe();
        buffer.Ref.Tell(new Put<int>(2), producer);
        await AwaitAssertAsync(async () => Assert.Equal(1, (await buffer.GetSnapshotAsync()).WaitingPuts), Long);

        Assert.True(buffer.Reader.TryRead(out var first));

        Assert.Equal(1, first);
        await producer.ExpectMsgAsync(new Accepted(1));
        Assert.Equal(2, await buffer.TakeAsync().AsTask().WaitAsync(Long));
    }

    private BoundedBuffer<int> Create(int capacity) =>
        BoundedBuffer<int>.Create(Sys, BufferSettings.Default with { Capacity = capacity });
}
