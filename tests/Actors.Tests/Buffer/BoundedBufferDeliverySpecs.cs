using Actors.Buffer;
using Akka.TestKit.Xunit2;
using FsCheck;
using FsCheck.Xunit;

namespace Actors.Tests.Buffer;

/// <summary>
/// Many producers and consumers on one typed buffer, item by item: every item is delivered exactly
/// once, and each consumer sees each producer's items in the order that producer put them.
/// </summary>
public sealed class BoundedBufferDeliverySpecs : TestKit
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Bounded_buffer_must_deliver_every_item_exactly_once_to_4_consumers_from_4_producers(bool channelFaces)
    {
        var delivered = await RunAsync(producers: 4, consumers: 4, perProducer: 50_000, BufferSettings.Default with { Capacity = 1024 }, channelFaces);

        AssertExactlyOnceAndOrdered(delivered, producers: 4, perProducer: 50_000);
    }

    [Property(MaxTest = 40)]
    public async Task<bool> Bounded_buffer_must_deliver_every_item_exactly_once_for_any_small_configuration(
        PositiveInt producerCount,
        PositiveInt consumerCount,
        PositiveInt capacity,
        NonNegativeInt itemsPerProducer,
        PositiveInt batch,
        bool channelFaces)
    {
        var producers = 1 + (producerCount.Get % 4);
        // FsCheck's integers stay small for a small number of tests: spread them over 0 … 299.
        var perProducer = (itemsPerProducer.Get * 97) % 300;
        var settings = BufferSettings.Default with
        {
            Capacity = 1 + (capacity.Get % 16),
            MaxBatch = 1 + (batch.Get % 20),
        };

        var delivered = await RunAsync(producers, 1 + (consumerCount.Get % 4), perProducer, settings, channelFaces);

        AssertExactlyOnceAndOrdered(delivered, producers, perProducer);
        return true;
    }

    /// <summary>
    /// Items stride × p + i for producer p; each producer puts its own in order, then says it is done.
    /// With <paramref name="channelFaces"/> producers use TryWrite/WaitToWriteAsync and consumers
    /// ReadAllAsync; otherwise PutAsync and TakeAsync.
    /// </summary>
    private async Task<List<int>[]> RunAsync(int producers, int consumers, int perProducer, BufferSettings settings, bool channelFaces)
    {
        var buffer = BoundedBuffer<int>.Create(Sys, settings, producers);
        try
        {
            var producing = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
            {
                for (var i = 0; i < perProducer; i++)
                {
                    var item = (p * Stride(perProducer)) + i;
                    if (!channelFaces)
                    {
                        await buffer.PutAsync(item);
                        continue;
                    }

                    while (!buffer.Writer.TryWrite(item))
                    {
                        Assert.True(await buffer.Writer.WaitToWriteAsync(), "the writer closed before every producer was done");
                    }
                }

                buffer.ProducerDone();
            })).ToList();
            var consuming = Enumerable.Range(0, consumers).Select(_ => Task.Run(async () =>
            {
                var received = new List<int>();
                if (channelFaces)
                {
                    await foreach (var item in buffer.Reader.ReadAllAsync())
                    {
                        received.Add(item);
                    }

                    return received;
                }

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
            })).ToList();

            await Task.WhenAll(producing).Within(Long);
            return await Task.WhenAll(consuming).Within(Long);
        }
        finally
        {
            Sys.Stop(buffer.Ref);
        }
    }

    private static void AssertExactlyOnceAndOrdered(List<int>[] perConsumer, int producers, int perProducer)
    {
        var expected = Enumerable.Range(0, producers).SelectMany(p => Enumerable.Range(p * Stride(perProducer), perProducer));
        Assert.Equal(expected, perConsumer.SelectMany(items => items).Order());
        foreach (var received in perConsumer)
        {
            foreach (var fromOneProducer in received.GroupBy(item => item / Stride(perProducer)))
            {
                Assert.Equal(fromOneProducer.Order(), fromOneProducer);
            }
        }
    }

    private static int Stride(int perProducer) => Math.Max(perProducer, 1);
}
