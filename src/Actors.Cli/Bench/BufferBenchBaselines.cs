using System.Diagnostics;
using System.Threading.Channels;

namespace Actors.Cli.Bench;

/// <summary>
/// The competitors of <see cref="BufferBenchmark"/> that involve no actor: a bounded
/// <see cref="Channel{T}"/> item by item (the baseline) and of arrays (the batched baseline), and the
/// the course's design in C#. Each is written as a competent user writes it.
/// </summary>
internal static class BufferBenchBaselines
{
    /// <summary>The baseline: a bounded channel, one writer task and one reader task, each with the non-blocking fast path first.</summary>
    internal static async Task<BenchRun> RunChannelAsync(int items, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<int>(new BoundedChannelOptions(BufferBenchmark.Capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var start = Stopwatch.GetTimestamp();
        var producer = Task.Run(() => WriteAllAsync(channel.Writer, items, ct), ct);
        var consumer = Task.Run(() => ReadAllAsync(channel.Reader, ct), ct);
        await producer.ConfigureAwait(false);
        var (count, sum) = await consumer.ConfigureAwait(false);
        return new BenchRun(Stopwatch.GetElapsedTime(start).TotalSeconds, count, sum);
    }

    /// <summary>The course's design: a shared queue guarded by a lock, two threads, Monitor.Wait/PulseAll at the bounds.</summary>
    internal static BenchRun RunLockQueue(int items, CancellationToken ct)
    {
        var queue = new Queue<int>(BufferBenchmark.Capacity);
        var gate = new object();
        long count = 0, sum = 0;
        var producer = new Thread(() =>
        {
            for (var i = 0; i < items; i++)
            {
                lock (gate)
                {
                    while (queue.Count == BufferBenchmark.Capacity)
                    {
                        Monitor.Wait(gate);
                    }

                    queue.Enqueue(i);
                    if (queue.Count == 1)
                    {
                        Monitor.PulseAll(gate);
                    }
                }
            }
        });
        var consumer = new Thread(() =>
        {
            while (count < items)
            {
                lock (gate)
                {
                    while (queue.Count == 0)
                    {
                        Monitor.Wait(gate);
                    }

                    sum += queue.Dequeue();
                    count++;
                    if (queue.Count == BufferBenchmark.Capacity - 1)
                    {
                        Monitor.PulseAll(gate);
                    }
                }
            }
        });

        ct.ThrowIfCancellationRequested();
        var start = Stopwatch.GetTimestamp();
        producer.Start();
        consumer.Start();
        producer.Join();
        consumer.Join();
        return new BenchRun(Stopwatch.GetElapsedTime(start).TotalSeconds, count, sum);
    }

    /// <summary>Batched, as a channel user batches: arrays of <see cref="BufferBenchmark.Batch"/> numbers through a channel bounded to the same number of items.</summary>
    internal static async Task<BenchRun> RunBatchedChannelAsync(int items, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<int[]>(new BoundedChannelOptions(BufferBenchmark.Capacity / BufferBenchmark.Batch)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var start = Stopwatch.GetTimestamp();
        var producer = Task.Run(
            async () =>
            {
                for (var next = 0; next < items; next += BufferBenchmark.Batch)
                {
                    var batch = new int[Math.Min(BufferBenchmark.Batch, items - next)];
                    for (var i = 0; i < batch.Length; i++)
                    {
                        batch[i] = next + i;
                    }

                    while (!channel.Writer.TryWrite(batch))
                    {
                        if (!await channel.Writer.WaitToWriteAsync(ct).ConfigureAwait(false))
                        {
                            throw new InvalidOperationException("The channel closed before every batch was written.");
                        }
                    }
                }

                channel.Writer.Complete();
            },
            ct);
        var consumer = Task.Run(() => ReadAllAsync(channel.Reader, ct), ct);
        await producer.ConfigureAwait(false);
        var (count, sum) = await consumer.ConfigureAwait(false);
        return new BenchRun(Stopwatch.GetElapsedTime(start).TotalSeconds, count, sum);
    }

    /// <summary>Writes 0 … items-1 with TryWrite, waiting with WaitToWriteAsync when full, then completes the writer.</summary>
    internal static async Task WriteAllAsync(ChannelWriter<int> writer, int items, CancellationToken ct)
    {
        for (var i = 0; i < items; i++)
        {
            while (!writer.TryWrite(i))
            {
                if (!await writer.WaitToWriteAsync(ct).ConfigureAwait(false))
                {
                    throw new InvalidOperationException("The channel closed before every item was written.");
                }
            }
        }

        writer.Complete();
    }

    /// <summary>Reads until the channel completes: TryRead while items are there, WaitToReadAsync when none is.</summary>
    internal static async Task<(long Count, long Sum)> ReadAllAsync(ChannelReader<int> reader, CancellationToken ct)
    {
        long count = 0, sum = 0;
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                sum += item;
                count++;
            }
        }

        return (count, sum);
    }

    private static async Task<(long Count, long Sum)> ReadAllAsync(ChannelReader<int[]> reader, CancellationToken ct)
    {
        long count = 0, sum = 0;
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (reader.TryRead(out var batch))
            {
                foreach (var item in batch)
                {
                    sum += item;
                }

                count += batch.Length;
            }
        }

        return (count, sum);
    }
}
