using System.Diagnostics;
using System.Threading.Channels;
using Actors.Buffer;
using Akka.Actor;

namespace Actors.Cli.Bench;

/// <summary>
/// The competitors of <see cref="BufferBenchmark"/> with <see cref="Producers"/> producer tasks and
/// <see cref="Consumers"/> consumer tasks sharing one buffer of capacity <see cref="BufferBenchmark.Capacity"/>:
/// producer <c>p</c> puts its own slice of 0 … N-1, every consumer takes until the buffer completes.
/// The public <see cref="BoundedBuffer{T}"/> API, its channel faces, and a bounded
/// <see cref="Channel{T}"/> (the baseline, many readers and writers), each as a competent user writes it.
/// </summary>
internal static class BufferBenchFanOut
{
    /// <summary>Producer tasks per run.</summary>
    public const int Producers = 4;

    /// <summary>Consumer tasks per run.</summary>
    public const int Consumers = 4;

    /// <summary>The baseline of the group.</summary>
    public const string Baseline = "Channel<int> bounded, 4 x 4";

    /// <summary>The buffer's own methods: PutAsync on each producer, TakeAsync on each consumer until BufferCompletedException.</summary>
    internal static Task<BenchRun> RunBoundedBufferAsync(ActorSystem system, int items, CancellationToken ct)
    {
        var buffer = BoundedBuffer<int>.Create(system, BufferSettings.Default with { Capacity = BufferBenchmark.Capacity }, producers: Producers);
        return RunAsync(
            async (from, to) =>
            {
                for (var i = from; i < to; i++)
                {
                    await buffer.PutAsync(i, ct).ConfigureAwait(false);
                }

                buffer.ProducerDone();
            },
            async () =>
            {
                long count = 0, sum = 0;
                try
                {
                    while (true)
                    {
                        sum += await buffer.TakeAsync(ct).ConfigureAwait(false);
                        count++;
                    }
                }
                catch (BufferCompletedException)
                {
                    // Completed and drained.
                }

                return (count, sum);
            },
            items,
            complete: () => { },
            finish: () => system.Stop(buffer.Ref));
    }

    /// <summary>The buffer's channel faces, written exactly as the channel baseline.</summary>
    internal static Task<BenchRun> RunBufferFacesAsync(ActorSystem system, int items, CancellationToken ct)
    {
        var buffer = BoundedBuffer<int>.Create(system, BufferSettings.Default with { Capacity = BufferBenchmark.Capacity });
        return RunChannelLikeAsync(buffer.Writer, buffer.Reader, items, () => system.Stop(buffer.Ref), ct);
    }

    /// <summary>The baseline: a bounded channel shared by every producer and consumer.</summary>
    internal static Task<BenchRun> RunChannelAsync(int items, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<int>(new BoundedChannelOptions(BufferBenchmark.Capacity) { FullMode = BoundedChannelFullMode.Wait });
        return RunChannelLikeAsync(channel.Writer, channel.Reader, items, () => { }, ct);
    }

    private static Task<BenchRun> RunChannelLikeAsync(ChannelWriter<int> writer, ChannelReader<int> reader, int items, Action finish, CancellationToken ct) =>
        RunAsync(
            async (from, to) =>
            {
                for (var i = from; i < to; i++)
                {
                    while (!writer.TryWrite(i))
                    {
                        if (!await writer.WaitToWriteAsync(ct).ConfigureAwait(false))
                        {
                            throw new InvalidOperationException("The channel closed before every item was written.");
                        }
                    }
                }
            },
            () => BufferBenchBaselines.ReadAllAsync(reader, ct),
            items,
            complete: () => writer.Complete(),
            finish);

    /// <summary>Starts the producers on their slices and the consumers, completes after the last producer, and sums what the consumers got.</summary>
    private static async Task<BenchRun> RunAsync(
        Func<int, int, Task> produce, Func<Task<(long Count, long Sum)>> consume, int items, Action complete, Action finish)
    {
        try
        {
            var start = Stopwatch.GetTimestamp();
            var slice = (items + Producers - 1) / Producers;
            var producers = Enumerable.Range(0, Producers)
                .Select(p => Task.Run(() => produce(p * slice, Math.Min(items, (p + 1) * slice))))
                .ToArray();
            var consumers = Enumerable.Range(0, Consumers).Select(_ => Task.Run(consume)).ToArray();
            await Task.WhenAll(producers).ConfigureAwait(false);
            complete();
            var results = await Task.WhenAll(consumers).ConfigureAwait(false);
            return new BenchRun(Stopwatch.GetElapsedTime(start).TotalSeconds, results.Sum(r => r.Count), results.Sum(r => r.Sum));
        }
        finally
        {
            finish();
        }
    }
}
