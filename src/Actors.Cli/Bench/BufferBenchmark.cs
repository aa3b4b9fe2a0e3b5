using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Actors.Buffer;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.Cli.Bench;

/// <summary>
/// One producer hands numbers to one consumer through a buffer of capacity 1024. The competitors
/// are the actor buffer (batched puts and takes), the seed's design in C# (<c>lock</c> +
/// <see cref="Queue{T}"/> with Monitor.Wait/Pulse, item by item), a bounded <see cref="Channel{T}"/>
/// item by item (the baseline), the same channel carrying arrays (to show what batching alone buys)
/// and the seed's Python program without its sleeps. Every competitor checks that it received every
/// number once (count and sum).
/// </summary>
public static class BufferBenchmark
{
    /// <summary>Items each competitor moves.</summary>
    public const long DefaultItems = 2_000_000;

    /// <summary>Buffer capacity of every bounded competitor.</summary>
    public const int Capacity = 1024;

    /// <summary>Name of the competitor the ratios divide by.</summary>
    public const string Baseline = "Channel<int> (bounded)";

    /// <summary>Items per put and most items per take of the actor competitor.</summary>
    internal const int ActorBatch = 512;

    /// <summary>Puts the actor producer keeps unanswered (its credit); batch × window ≥ capacity keeps the buffer full.</summary>
    internal const int ProducerWindow = 4;

    /// <summary>Takes the actor consumer keeps outstanding, so the buffer always has one to serve.</summary>
    internal const int ConsumerWindow = 2;

    /// <summary>Full runs per .NET competitor; the median is reported.</summary>
    internal const int MeasuredRuns = 3;

    private const long WarmUpItems = 200_000;

    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(2);

    /// <summary>Runs every competitor with <see cref="DefaultItems"/> items.</summary>
    public static Task<IReadOnlyList<BenchResult>> RunAsync(CancellationToken ct) => RunAsync(DefaultItems, ct);

    /// <summary>
    /// Runs every competitor with <paramref name="items"/> items and returns, for each .NET one, the
    /// median of <see cref="MeasuredRuns"/> runs after its warm-up; the Python competitor runs once
    /// and is left out when <c>python3</c> is not on the PATH.
    /// </summary>
    public static async Task<IReadOnlyList<BenchResult>> RunAsync(long items, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 1);
        var results = new List<BenchResult>();
        using (var system = ActorSystem.Create("buffer-bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING")))
        {
            var seconds = await MeasureAsync(n => RunActorBufferAsync(system, n, ct), items, ct).ConfigureAwait(false);
            results.Add(new("actor buffer (Akka.NET)", items, seconds));
            await system.Terminate().ConfigureAwait(false);
        }

        results.Add(new(
            "lock + Queue<int> (Monitor)",
            items,
            await MeasureAsync(n => Task.FromResult(RunLockQueue(n, ct)), items, ct).ConfigureAwait(false)));
        results.Add(new(Baseline, items, await MeasureAsync(n => RunChannelAsync(n, ct), items, ct).ConfigureAwait(false)));
        results.Add(new(
            $"Channel<int[]> (bounded, batches of {ActorBatch})",
            items,
            await MeasureAsync(n => RunBatchedChannelAsync(n, ct), items, ct).ConfigureAwait(false)));

        var python = await PythonRunner.RunAsync(
            "buffer",
            [items.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromMinutes(5),
            ct).ConfigureAwait(false);
        if (python is { } json)
        {
            results.Add(new("python threading.Lock list", json.GetProperty("items").GetInt64(), json.GetProperty("seconds").GetDouble()));
        }

        return results;
    }

    /// <summary>
    /// Warms a competitor up with small runs for <see cref="WarmUpTime"/> (tiered JIT needs about that
    /// long to reach its optimised code, the actor side more than the others because Akka has more
    /// code to compile), then returns the median seconds of <see cref="MeasuredRuns"/> full runs.
    /// </summary>
    private static async Task<double> MeasureAsync(Func<long, Task<double>> run, long items, CancellationToken ct)
    {
        var warmUp = Stopwatch.StartNew();
        for (var runs = 0; runs < 3 || warmUp.Elapsed < WarmUpTime; runs++)
        {
            ct.ThrowIfCancellationRequested();
            await run(Math.Min(items, WarmUpItems)).ConfigureAwait(false);
        }

        var seconds = new double[MeasuredRuns];
        for (var i = 0; i < MeasuredRuns; i++)
        {
            ct.ThrowIfCancellationRequested();
            seconds[i] = await run(items).ConfigureAwait(false);
        }

        Array.Sort(seconds);
        return seconds[MeasuredRuns / 2];
    }

    /// <summary>Seconds from the first put to the last item taken, through a <see cref="BufferActor"/>.</summary>
    internal static Task<double> RunActorBufferAsync(ActorSystem system, long items, CancellationToken ct) =>
        RunActorBufferAsync(system, items, new ActorTuning(ActorBatch, ProducerWindow, ConsumerWindow), ct);

    /// <summary>As above, with explicit batch and window sizes (for tuning runs).</summary>
    internal static async Task<double> RunActorBufferAsync(ActorSystem system, long items, ActorTuning tuning, CancellationToken ct)
    {
        var finished = new TaskCompletionSource<(long Count, long Sum, long EndTimestamp)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var buffer = system.ActorOf(BufferActor.Props(new BufferSettings(Capacity, tuning.Batch)));
        var consumer = system.ActorOf(Props.Create(() => new BenchConsumer(buffer, items, tuning, finished)));
        var producer = system.ActorOf(Props.Create(() => new BenchProducer(buffer, items, tuning)));
        try
        {
            var start = Stopwatch.GetTimestamp();
            producer.Tell(BenchProducer.Start.Instance);
            var (count, sum, end) = await finished.Task.WaitAsync(ct).ConfigureAwait(false);
            Verify("actor buffer", items, count, sum);
            return Stopwatch.GetElapsedTime(start, end).TotalSeconds;
        }
        finally
        {
            system.Stop(producer);
            system.Stop(consumer);
            system.Stop(buffer);
        }
    }

    /// <summary>The seed's design: a shared queue guarded by a lock, two threads, Monitor.Wait/PulseAll at the bounds.</summary>
    internal static double RunLockQueue(long items, CancellationToken ct)
    {
        var queue = new Queue<int>(Capacity);
        var gate = new object();
        long count = 0, sum = 0;
        var producer = new Thread(() =>
        {
            for (long i = 0; i < items; i++)
            {
                lock (gate)
                {
                    while (queue.Count == Capacity)
                    {
                        Monitor.Wait(gate);
                    }

                    queue.Enqueue((int)i);
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
                    if (queue.Count == Capacity - 1)
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
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Verify("lock + Queue", items, count, sum);
        return seconds;
    }

    /// <summary>A bounded channel with one writer task and one reader task, each using the non-blocking fast path first.</summary>
    internal static async Task<double> RunChannelAsync(long items, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<int>(new BoundedChannelOptions(Capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var start = Stopwatch.GetTimestamp();
        var writer = Task.Run(
            async () =>
            {
                for (long i = 0; i < items; i++)
                {
                    if (!channel.Writer.TryWrite((int)i))
                    {
                        await channel.Writer.WriteAsync((int)i, ct).ConfigureAwait(false);
                    }
                }

                channel.Writer.Complete();
            },
            ct);
        var reader = Task.Run(
            async () =>
            {
                long count = 0, sum = 0;
                while (await channel.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
                {
                    while (channel.Reader.TryRead(out var item))
                    {
                        sum += item;
                        count++;
                    }
                }

                return (count, sum);
            },
            ct);
        await writer.ConfigureAwait(false);
        var (count, sum) = await reader.ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Verify("Channel", items, count, sum);
        return seconds;
    }

    /// <summary>Items per put (and most per take), puts kept unanswered, takes kept outstanding.</summary>
    internal readonly record struct ActorTuning(int Batch, int ProducerWindow, int ConsumerWindow);

    /// <summary>
    /// The channel given the actor's advantage: arrays of <see cref="ActorBatch"/> numbers, with the
    /// channel bounded to the same <see cref="Capacity"/> items. Shows how much of the actor's lead
    /// is batching.
    /// </summary>
    internal static async Task<double> RunBatchedChannelAsync(long items, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<int[]>(new BoundedChannelOptions(Math.Max(1, Capacity / ActorBatch))
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var start = Stopwatch.GetTimestamp();
        var writer = Task.Run(
            async () =>
            {
                for (long next = 0; next < items;)
                {
                    var batch = new int[(int)Math.Min(ActorBatch, items - next)];
                    for (var i = 0; i < batch.Length; i++)
                    {
                        batch[i] = (int)next++;
                    }

                    await channel.Writer.WriteAsync(batch, ct).ConfigureAwait(false);
                }

                channel.Writer.Complete();
            },
            ct);
        var reader = Task.Run(
            async () =>
            {
                long count = 0, sum = 0;
                await foreach (var batch in channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    foreach (var item in batch)
                    {
                        sum += item;
                    }

                    count += batch.Length;
                }

                return (count, sum);
            },
            ct);
        await writer.ConfigureAwait(false);
        var (count, sum) = await reader.ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Verify("batched Channel", items, count, sum);
        return seconds;
    }

    private static void Verify(string name, long items, long count, long sum)
    {
        if (count != items || sum != items * (items - 1) / 2)
        {
            throw new InvalidOperationException($"{name} delivered {count} items (sum {sum}) instead of {items}.");
        }
    }

    /// <summary>Puts batches of numbers, keeping at most <see cref="ProducerWindow"/> puts unanswered.</summary>
    private sealed class BenchProducer : ReceiveActor
    {
        private readonly IActorRef _buffer;
        private readonly long _items;
        private readonly ActorTuning _tuning;
        private long _next;
        private int _unanswered;

        public BenchProducer(IActorRef buffer, long items, ActorTuning tuning)
        {
            _buffer = buffer;
            _items = items;
            _tuning = tuning;
            Receive<Start>(HandleStart);
            Receive<Accepted>(HandleAccepted);
        }

        private void HandleStart(Start start) => Fill();

        private void HandleAccepted(Accepted accepted)
        {
            _unanswered--;
            Fill();
            if (_next == _items && _unanswered == 0)
            {
                _buffer.Tell(ProducerDone.Instance);
            }
        }

        private void Fill()
        {
            while (_unanswered < _tuning.ProducerWindow && _next < _items)
            {
                var batch = new object[(int)Math.Min(_tuning.Batch, _items - _next)];
                for (var i = 0; i < batch.Length; i++)
                {
                    batch[i] = (int)_next++;
                }

                _buffer.Tell(new PutBatch(batch));
                _unanswered++;
            }
        }

        internal sealed record Start
        {
            public static Start Instance { get; } = new();

            private Start() { }
        }
    }

    /// <summary>Keeps <see cref="ConsumerWindow"/> takes outstanding and reports when it has every item.</summary>
    private sealed class BenchConsumer : ReceiveActor
    {
        private readonly Take _take;
        private readonly IActorRef _buffer;
        private readonly long _items;
        private readonly int _window;
        private readonly TaskCompletionSource<(long, long, long)> _finished;
        private long _count;
        private long _sum;

        public BenchConsumer(IActorRef buffer, long items, ActorTuning tuning, TaskCompletionSource<(long, long, long)> finished)
        {
            _take = new Take(tuning.Batch);
            _window = tuning.ConsumerWindow;
            _buffer = buffer;
            _items = items;
            _finished = finished;
            Receive<Taken>(HandleTaken);
            Receive<Completed>(HandleCompleted);
        }

        protected override void PreStart()
        {
            for (var i = 0; i < _window; i++)
            {
                _buffer.Tell(_take);
            }
        }

        private void HandleCompleted(Completed completed) =>
            _finished.TrySetResult((_count, _sum, Stopwatch.GetTimestamp()));

        private void HandleTaken(Taken taken)
        {
            var items = taken.Items;
            for (var i = 0; i < items.Count; i++)
            {
                _sum += (int)items[i];
            }

            _count += items.Count;
            if (_count == _items)
            {
                _finished.TrySetResult((_count, _sum, Stopwatch.GetTimestamp()));
            }
            else
            {
                _buffer.Tell(_take);
            }
        }
    }
}
