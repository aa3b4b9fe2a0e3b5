using Actors.Buffer;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using FsCheck;
using FsCheck.Xunit;

namespace Actors.Tests.Buffer;

public sealed class BufferActorSpecs : TestKit
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Buffer_must_hand_out_items_in_the_order_they_were_put()
    {
        var buffer = Sys.ActorOf(BufferActor.Props(10));

        buffer.Tell(new Put(1));
        buffer.Tell(new PutBatch([2, 3, 4]));
        await ExpectMsgAsync(new Accepted(1));
        await ExpectMsgAsync(new Accepted(3));

        buffer.Tell(new Take(3));
        Assert.Equal([1, 2, 3], (await ExpectMsgAsync<Taken>()).Items);
        buffer.Tell(new Take(3));
        Assert.Equal([4], (await ExpectMsgAsync<Taken>()).Items);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(10000)]
    public async Task Buffer_must_block_producer_when_full(int capacity)
    {
        var buffer = Sys.ActorOf(BufferActor.Props(capacity));
        var producer = CreateTestProbe();
        var consumer = CreateTestProbe();

        buffer.Tell(new PutBatch(Numbers(0, capacity)), producer);
        await producer.ExpectMsgAsync(new Accepted(capacity));
        buffer.Tell(new Put(capacity), producer);
        await producer.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));

        var full = await GetSnapshotAsync(buffer);
        Assert.Equal(capacity, full.Items.Count);
        Assert.Equal(1, full.WaitingPuts);

        buffer.Tell(new Take(1), consumer);
        Assert.Equal([0], (await consumer.ExpectMsgAsync<Taken>()).Items);
        await producer.ExpectMsgAsync(new Accepted(1));

        var after = await GetSnapshotAsync(buffer);
        Assert.Equal(capacity, after.Items.Count);
        Assert.Equal(0, after.WaitingPuts);
        Assert.Equal(capacity, after.Items[^1]);
    }

    [Fact]
    public async Task Buffer_must_take_a_batch_larger_than_its_capacity_piece_by_piece_in_order()
    {
        var buffer = Sys.ActorOf(BufferActor.Props(3));
        var producer = CreateTestProbe();

        buffer.Tell(new PutBatch(Numbers(0, 10)), producer);
        buffer.Tell(new Put(10), producer);
        var taken = new List<object>();
        while (taken.Count < 11)
        {
            buffer.Tell(new Take(2));
            taken.AddRange((await ExpectMsgAsync<Taken>()).Items);
        }

        Assert.Equal(Numbers(0, 11), taken);
        await producer.ExpectMsgAsync(new Accepted(10));
        await producer.ExpectMsgAsync(new Accepted(1));
    }

    [Fact]
    public async Task Buffer_must_never_hold_more_than_its_capacity_while_producers_outrun_consumers()
    {
        const int capacity = 8;
        var buffer = Sys.ActorOf(BufferActor.Props(capacity, producers: 3));
        var producers = Enumerable.Range(0, 3).Select(_ => CreateTestProbe()).ToList();
        foreach (var (producer, index) in producers.Select((p, i) => (p, i)))
        {
            for (var batch = 0; batch < 5; batch++)
            {
                buffer.Tell(new PutBatch(Numbers((index * 5 + batch) * 4, 4)), producer);
            }
        }

        var taken = new List<object>();
        while (taken.Count < 60)
        {
            var snapshot = await GetSnapshotAsync(buffer);
            Assert.InRange(snapshot.Items.Count, 0, capacity);
            buffer.Tell(new Take(3));
            taken.AddRange((await ExpectMsgAsync<Taken>()).Items);
        }

        Assert.Equal(Enumerable.Range(0, 60), taken.Cast<int>().Order());
        foreach (var producer in producers)
        {
            for (var batch = 0; batch < 5; batch++)
            {
                await producer.ExpectMsgAsync(new Accepted(4));
            }
        }
    }

    [Fact]
    public async Task Buffer_must_serve_waiting_consumers_when_items_arrive()
    {
        var buffer = Sys.ActorOf(BufferActor.Props(10));
        var first = CreateTestProbe();
        var second = CreateTestProbe();

        buffer.Tell(new Take(5), first);
        buffer.Tell(new Take(5), second);
        await first.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        Assert.Equal(2, (await GetSnapshotAsync(buffer)).WaitingTakes);

        buffer.Tell(new PutBatch(["a"]));
        await ExpectMsgAsync(new Accepted(1));
        Assert.Equal(["a"], (await first.ExpectMsgAsync<Taken>()).Items);
        await second.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));

        buffer.Tell(new PutBatch(["b", "c"]));
        await ExpectMsgAsync(new Accepted(2));
        Assert.Equal(["b", "c"], (await second.ExpectMsgAsync<Taken>()).Items);
    }

    [Fact]
    public async Task Buffer_must_cap_a_take_at_max_batch()
    {
        var buffer = Sys.ActorOf(BufferActor.Props(new BufferSettings(100, maxBatch: 4)));

        buffer.Tell(new PutBatch(Numbers(0, 10)));
        await ExpectMsgAsync(new Accepted(10));
        buffer.Tell(new Take(100));

        Assert.Equal(Numbers(0, 4), (await ExpectMsgAsync<Taken>()).Items);
    }

    [Fact]
    public async Task Buffer_must_complete_consumers_after_they_drained_what_is_left()
    {
        var buffer = Sys.ActorOf(BufferActor.Props(10, producers: 2));
        var waiting = CreateTestProbe();
        buffer.Tell(new PutBatch([1, 2, 3]));
        await ExpectMsgAsync(new Accepted(3));

        buffer.Tell(ProducerDone.Instance);
        Assert.False((await GetSnapshotAsync(buffer)).IsCompleted);
        buffer.Tell(ProducerDone.Instance);
        Assert.True((await GetSnapshotAsync(buffer)).IsCompleted);

        buffer.Tell(new Take(2));
        Assert.Equal([1, 2], (await ExpectMsgAsync<Taken>()).Items);
        buffer.Tell(new Take(2), waiting);
        Assert.Equal([3], (await waiting.ExpectMsgAsync<Taken>()).Items);
        buffer.Tell(new Take(2));
        await ExpectMsgAsync(Completed.Instance);
        buffer.Tell(new Take(2));
        await ExpectMsgAsync(Completed.Instance);
    }

    [Fact]
    public async Task Buffer_must_complete_parked_consumers_and_still_deliver_held_puts()
    {
        var buffer = Sys.ActorOf(BufferActor.Props(1));
        var producer = CreateTestProbe();
        var parked = CreateTestProbe();

        buffer.Tell(new PutBatch([1, 2]), producer);
        buffer.Tell(Complete.Instance);
        buffer.Tell(new Take(5));
        Assert.Equal([1], (await ExpectMsgAsync<Taken>()).Items);
        buffer.Tell(new Take(5));
        Assert.Equal([2], (await ExpectMsgAsync<Taken>()).Items);
        await producer.ExpectMsgAsync(new Accepted(2));

        buffer.Tell(new Take(1), parked);
        await parked.ExpectMsgAsync(Completed.Instance);

        var other = Sys.ActorOf(BufferActor.Props(1));
        other.Tell(new Take(1), parked);
        await parked.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
        other.Tell(Complete.Instance);
        await parked.ExpectMsgAsync(Completed.Instance);
    }

    [Fact]
    public async Task Buffer_must_refuse_a_put_after_completion()
    {
        var buffer = Sys.ActorOf(BufferActor.Props(10));
        buffer.Tell(ProducerDone.Instance);

        buffer.Tell(new Put(1));
        var refused = await ExpectMsgAsync<PutRefused>();
        Assert.Equal(1, refused.Count);
        Assert.Contains("completed", refused.Reason);

        buffer.Tell(new PutBatch([1, 2]));
        Assert.Equal(2, (await ExpectMsgAsync<PutRefused>()).Count);
        Assert.Empty((await GetSnapshotAsync(buffer)).Items);
    }

    [Fact]
    public async Task Buffer_must_answer_a_withdrawn_take_with_take_cancelled()
    {
        var buffer = Sys.ActorOf(BufferActor.Props(10));
        var consumer = CreateTestProbe();
        buffer.Tell(new Take(1), consumer);
        buffer.Tell(new Take(1), consumer);
        buffer.Tell(new Take(1));

        buffer.Tell(CancelTake.Instance, consumer);
        await consumer.ExpectMsgAsync(TakeCancelled.Instance);
        await consumer.ExpectMsgAsync(TakeCancelled.Instance);

        buffer.Tell(new Put("x"));
        await ExpectMsgAsync(new Accepted(1));
        Assert.Equal(["x"], (await ExpectMsgAsync<Taken>()).Items);
        await consumer.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task Buffer_must_report_its_changes_to_the_observer_in_order()
    {
        var observer = CreateTestProbe();
        var buffer = Sys.ActorOf(BufferActor.Props(new BufferSettings(5), producers: 1, observer: observer));

        buffer.Tell(new PutBatch([1, 2]));
        buffer.Tell(new Take(1));
        buffer.Tell(ProducerDone.Instance);
        buffer.Tell(new Take(1));

        var added = await observer.ExpectMsgAsync<ItemsAdded>();
        Assert.Equal([1, 2], added.Items);
        Assert.Equal([1, 2], added.Contents);
        var removed = await observer.ExpectMsgAsync<ItemsRemoved>();
        Assert.Equal([1], removed.Items);
        Assert.Equal([2], removed.Contents);
        Assert.Empty((await observer.ExpectMsgAsync<ItemsRemoved>()).Contents);
        await observer.ExpectMsgAsync(Completed.Instance);
    }

    [Fact]
    public async Task Buffer_must_deliver_every_item_exactly_once_to_4_consumers_from_4_producers()
    {
        const int producers = 4;
        const int consumers = 4;
        const int perProducer = 100_000;
        var buffer = BoundedBuffer.Create(Sys, new BufferSettings(1024, maxBatch: 256), producers);

        var producing = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var start = 0; start < perProducer; start += 250)
            {
                var batch = new object[Math.Min(250, perProducer - start)];
                for (var i = 0; i < batch.Length; i++)
                {
                    batch[i] = (p * perProducer) + start + i;
                }

                await buffer.PutAsync(batch);
            }

            buffer.ProducerDone();
        })).ToList();
        var consuming = Enumerable.Range(0, consumers).Select(_ => Task.Run(async () =>
        {
            var received = new List<int>();
            while (await buffer.TakeAsync(256) is { Count: > 0 } items)
            {
                received.AddRange(items.Cast<int>());
            }

            return received;
        })).ToList();

        await Task.WhenAll(producing).WaitAsync(Long);
        var perConsumer = await Task.WhenAll(consuming).WaitAsync(Long);

        var seen = new bool[producers * perProducer];
        foreach (var item in perConsumer.SelectMany(items => items))
        {
            Assert.False(seen[item], $"item {item} was delivered twice");
            seen[item] = true;
        }

        Assert.All(seen, Assert.True);

        // Each consumer sees each producer's items in the order that producer put them.
        foreach (var received in perConsumer)
        {
            foreach (var fromOneProducer in received.GroupBy(item => item / perProducer))
            {
                Assert.Equal(fromOneProducer.Order(), fromOneProducer);
            }
        }
    }

    [Property(MaxTest = 30)]
    public async Task<bool> Buffer_must_deliver_every_item_exactly_once_for_any_small_configuration(
        PositiveInt producerCount,
        PositiveInt consumerCount,
        PositiveInt capacity,
        NonNegativeInt itemsPerProducer,
        PositiveInt batch)
    {
        var producers = 1 + (producerCount.Get % 4);
        var consumers = 1 + (consumerCount.Get % 4);
        var perProducer = itemsPerProducer.Get % 300;
        var batchSize = 1 + (batch.Get % 20);
        var buffer = BoundedBuffer.Create(Sys, new BufferSettings(1 + (capacity.Get % 16), maxBatch: batchSize), producers);

        var producing = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            foreach (var chunk in Enumerable.Range(p * 1000, perProducer).Chunk(batchSize))
            {
                await buffer.PutAsync(chunk.Cast<object>().ToArray());
            }

            buffer.ProducerDone();
        }));
        var consuming = Enumerable.Range(0, consumers).Select(_ => Task.Run(async () =>
        {
            var received = new List<int>();
            while (await buffer.TakeAsync(batchSize) is { Count: > 0 } items)
            {
                received.AddRange(items.Cast<int>());
            }

            return received;
        })).ToList();

        await Task.WhenAll(producing).WaitAsync(Long);
        var delivered = (await Task.WhenAll(consuming).WaitAsync(Long)).SelectMany(items => items).Order();
        var expected = Enumerable.Range(0, producers).SelectMany(p => Enumerable.Range(p * 1000, perProducer));
        Sys.Stop(buffer.Ref);
        return delivered.SequenceEqual(expected);
    }

    [Fact]
    public async Task Bounded_buffer_must_withdraw_a_cancelled_take_without_losing_items()
    {
        var buffer = BoundedBuffer.Create(Sys, new BufferSettings(10));
        using var cts = new CancellationTokenSource();

        var waiting = buffer.TakeAsync(1, cts.Token);
        await AwaitAssertAsync(async () => Assert.Equal(1, (await buffer.GetSnapshotAsync()).WaitingTakes));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        await buffer.PutAsync("kept");
        Assert.Equal(["kept"], await buffer.TakeAsync(1));
    }

    [Fact]
    public async Task Bounded_buffer_must_throw_when_putting_into_a_completed_buffer()
    {
        var buffer = BoundedBuffer.Create(Sys, new BufferSettings(10));
        buffer.Complete();

        var error = await Assert.ThrowsAsync<BufferCompletedException>(() => buffer.PutAsync(1));
        Assert.Contains("completed", error.Message);
        Assert.Empty(await buffer.TakeAsync(1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Buffer_must_reject_a_capacity_below_one(int capacity)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => BufferActor.Props(capacity));
        Assert.Contains("actors.buffer.capacity", error.Message);
        Assert.Contains("at least 1", error.Message);
    }

    [Fact]
    public void Buffer_settings_must_read_the_actors_buffer_section()
    {
        var config = ConfigurationFactory.ParseString("actors.buffer { capacity = 7, max-batch = 3 }");

        Assert.Equal(new BufferSettings(7, 3), BufferSettings.Create(config.GetConfig(BufferSettings.SectionPath)));
        Assert.Equal(new BufferSettings(1024, 512), BufferSettings.Create(Akka.Configuration.Config.Empty));
        Assert.Equal(1024, BufferSettings.Default.Capacity);
    }

    [Theory]
    [InlineData("actors.buffer.capacity = 0", "actors.buffer.capacity")]
    [InlineData("actors.buffer.capacity = -1", "actors.buffer.capacity")]
    [InlineData("actors.buffer.capacity = lots", "actors.buffer.capacity")]
    [InlineData("actors.buffer.max-batch = 0", "actors.buffer.max-batch")]
    public void Buffer_settings_must_reject_bad_config_naming_the_key(string hocon, string key)
    {
        var section = ConfigurationFactory.ParseString(hocon).GetConfig(BufferSettings.SectionPath);

        var error = Assert.ThrowsAny<ArgumentException>(() => BufferSettings.Create(section));
        Assert.Contains(key, error.Message);
    }

    private static List<object> Numbers(int start, int count) => Enumerable.Range(start, count).Cast<object>().ToList();

    private async Task<BufferSnapshot> GetSnapshotAsync(IActorRef buffer)
    {
        var probe = CreateTestProbe();
        buffer.Tell(GetSnapshot.Instance, probe);
        return await probe.ExpectMsgAsync<BufferSnapshot>();
    }
}
