using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Actors.Buffer;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.Cli.Bench;

/// <summary>
/// One producer hands the numbers 0 … N-1 to one consumer through a buffer of capacity 1024, timed
/// from the first put to the last take, every competitor written as a competent user writes it.
/// Item by item: the public <see cref="BoundedBuffer{T}"/> API (the headline), its channel faces, a
/// bounded <see cref="Channel{T}"/> (the baseline), the course's design in C# (<c>lock</c> +
/// <see cref="Queue{T}"/> with Monitor.Wait/Pulse), actors telling the buffer one item per message,
/// and the course's Python program. Batched, against each other only: actors moving batches of 512
/// and a <see cref="Channel{T}"/> of 512-item arrays. Fan-out (<see cref="BufferBenchFanOut"/>): 4
/// producers and 4 consumers on one buffer or channel. Each run reports the count and sum it received;
/// the harness checks them.
/// </summary>
public static class BufferBenchmark
{
    /// <summary>Items each .NET competitor moves per run.</summary>
    public const int Items = 2_000_000;

    /// <summary>Items the Python competitor moves per run (it is about 20 times slower; throughput compares).</summary>
    public const int PythonItems = 500_000;

    /// <summary>Capacity of every bounded competitor.</summary>
    public const int Capacity = 1024;

    /// <summary>Items per message or array of the batched competitors.</summary>
    public const int Batch = 512;

    /// <summary>The headline competitor.</summary>
    public const string Headline = "BoundedBuffer<int> PutAsync/TakeAsync";

    /// <summary>The baseline of the item-by-item group.</summary>
    public const string Baseline = "Channel<int> bounded";

    /// <summary>The baseline of the batched group.</summary>
    public const string BatchedBaseline = "Channel<int[]> bounded, arrays of 512";

    /// <summary>The target for the headline: at least this many times the baseline's median throughput.</summary>
    public const double Target = 1.0;

    /// <summary>Runs the benchmark in an actor system of its own.</summary>
    public static async Task<BenchOutcome> RunAsync(int rounds, TextWriter? progress, CancellationToken ct)
    {
        var system = ActorSystem.Create("buffer-bench", ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.log-dead-letters = off
            """));
        try
        {
            return await BenchHarness.RunAsync(CreatePlan(system, Items, PythonItems), rounds, progress, ct).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    /// <summary>The plan: two groups of competitors, moving <paramref name="items"/> (Python: <paramref name="pythonItems"/>) per run.</summary>
    public static BenchPlan CreatePlan(ActorSystem system, int items, int pythonItems)
    {
        var expected = BenchExpectation.Range(items);
        var itemByItem = new List<BenchCompetitor>
        {
            new(Headline, items, expected, ct => RunBoundedBufferAsync(system, items, ct)),
            new("BoundedBuffer<int> Writer/Reader (channel faces)", items, expected, ct => RunBufferFacesAsync(system, items, ct)),
            new(Baseline, items, expected, ct => BufferBenchBaselines.RunChannelAsync(items, ct)),
            new("lock + Queue<int>, Monitor.Wait/Pulse (the course's design)", items, expected, ct => Task.FromResult(BufferBenchBaselines.RunLockQueue(items, ct))),
            new("actor Tells, one item per message (Put / Take)", items, expected, ct => BufferBenchActors.RunAsync(system, items, Capacity, batch: 1, ct)),
        };
        var notes = new List<string>();
        var python = PythonRunner.Competitor(
            "Python threading.Lock + deque (the course's program, no sleeps)",
            "buffer",
            [pythonItems.ToString(CultureInfo.InvariantCulture)],
            pythonItems,
            BenchExpectation.Range(pythonItems),
            TimeSpan.FromMinutes(2));
        if (python is null)
        {
            notes.Add("python3 is not on the PATH: the course's Python program is not measured.");
        }
        else
        {
            itemByItem.Add(python);
        }

        var batched = new List<BenchCompetitor>
        {
            new(BatchedBaseline, items, expected, ct => BufferBenchBaselines.RunBatchedChannelAsync(items, ct)),
            new("actor Tells, PutBatch 512 / Take 512", items, expected, ct => BufferBenchActors.RunAsync(system, items, Capacity, Batch, ct)),
        };
        var fanOut = new List<BenchCompetitor>
        {
            new("BoundedBuffer<int> PutAsync/TakeAsync, 4 x 4", items, expected, ct => BufferBenchFanOut.RunBoundedBufferAsync(system, items, ct)),
            new("BoundedBuffer<int> Writer/Reader, 4 x 4", items, expected, ct => BufferBenchFanOut.RunBufferFacesAsync(system, items, ct)),
            new(BufferBenchFanOut.Baseline, items, expected, ct => BufferBenchFanOut.RunChannelAsync(items, ct)),
        };
        return new BenchPlan(
            "buffer",
            string.Create(CultureInfo.InvariantCulture, $"buffer: 1 producer -> 1 consumer (and 4 x 4), {items:N0} items (Python {pythonItems:N0}), capacity {Capacity}"),
            [
                new("item by item", Baseline, itemByItem),
                new($"item by item, {BufferBenchFanOut.Producers} producers x {BufferBenchFanOut.Consumers} consumers", BufferBenchFanOut.Baseline, fanOut),
                new($"batched, {Batch} items per message", BatchedBaseline, batched),
            ])
        {
            Notes = notes,
        };
    }

    /// <summary>The target for the headline row, measured against the baseline.</summary>
    public static IEnumerable<string> DescribeTargets(BenchOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Find(Headline) is { } headline)
        {
            var verdict = headline.Ratio >= Target ? "met" : "NOT met";
            yield return string.Create(CultureInfo.InvariantCulture,
                $"target: {Headline} >= {Target:0.0}x {Baseline} (medians): {headline.Ratio:0.00}x, {verdict}");
        }
    }

    /// <summary>The headline: a user's loops over the public API, PutAsync on one task and TakeAsync on another until the buffer completes.</summary>
    internal static async Task<BenchRun> RunBoundedBufferAsync(ActorSystem system, int items, CancellationToken ct)
    {
        var buffer = BoundedBuffer<int>.Create(system, BufferSettings.Default with { Capacity = Capacity });
        try
        {
            var start = Stopwatch.GetTimestamp();
            var producer = Task.Run(
                async () =>
                {
                    for (var i = 0; i < items; i++)
                    {
                        await buffer.PutAsync(i, ct).ConfigureAwait(false);
                    }

                    buffer.ProducerDone();
                },
                ct);
            var consumer = Task.Run(
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
                        // Completed and drained: every item was taken.
                    }

                    return (count, sum);
                },
                ct);
            await producer.ConfigureAwait(false);
            var (count, sum) = await consumer.ConfigureAwait(false);
            return new BenchRun(Stopwatch.GetElapsedTime(start).TotalSeconds, count, sum);
        }
        finally
        {
            system.Stop(buffer.Ref);
        }
    }

    /// <summary>The same buffer through its channel faces, written exactly as the channel baseline: TryWrite with WaitToWriteAsync, TryRead with WaitToReadAsync.</summary>
    internal static async Task<BenchRun> RunBufferFacesAsync(ActorSystem system, int items, CancellationToken ct)
    {
        var buffer = BoundedBuffer<int>.Create(system, BufferSettings.Default with { Capacity = Capacity });
        try
        {
            var start = Stopwatch.GetTimestamp();
            var producer = Task.Run(() => BufferBenchBaselines.WriteAllAsync(buffer.Writer, items, ct), ct);
            var consumer = Task.Run(() => BufferBenchBaselines.ReadAllAsync(buffer.Reader, ct), ct);
            await producer.ConfigureAwait(false);
            var (count, sum) = await consumer.ConfigureAwait(false);
            return new BenchRun(Stopwatch.GetElapsedTime(start).TotalSeconds, count, sum);
        }
        finally
        {
            system.Stop(buffer.Ref);
        }
    }
}
