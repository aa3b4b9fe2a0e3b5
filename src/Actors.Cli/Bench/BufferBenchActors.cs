using System.Diagnostics;
using Actors.Buffer;
using Akka.Actor;

namespace Actors.Cli.Bench;

/// <summary>
/// The actor competitors of <see cref="BufferBenchmark"/>: a producer actor and a consumer actor
/// that talk to a <see cref="BufferActor{T}"/> with Tell, as actors use the protocol. The producer
/// keeps puts unanswered up to a window, so that together they never exceed the capacity (held
/// puts count against it); the consumer keeps takes outstanding so that the buffer always has one
/// to answer. With a batch of 1 every message carries one item.
/// </summary>
internal static class BufferBenchActors
{
    /// <summary>Items a one-item-per-message producer or consumer keeps unanswered.</summary>
    internal const int ItemWindow = 64;

    /// <summary>Moves 0 … items-1 from a producer actor to a consumer actor, <paramref name="batch"/> items per message.</summary>
    public static async Task<BenchRun> RunAsync(ActorSystem system, int items, int capacity, int batch, CancellationToken ct)
    {
        var finished = new TaskCompletionSource<(long Count, long Sum, long End)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = BufferSettings.Default with { Capacity = capacity, MaxBatch = batch };
        var window = batch == 1 ? ItemWindow : Math.Max(1, capacity / batch);
        var buffer = system.ActorOf(BufferActor<int>.Props(settings));
        var consumer = system.ActorOf(Props.Create(() => new Consumer(buffer, batch, window, finished)));
        var producer = system.ActorOf(Props.Create(() => new Producer(buffer, items, batch, window)));
        try
        {
            var start = Stopwatch.GetTimestamp();
            producer.Tell(Start.Instance);
            var (count, sum, end) = await finished.Task.WaitAsync(ct).ConfigureAwait(false);
            return new BenchRun(Stopwatch.GetElapsedTime(start, end).TotalSeconds, count, sum);
        }
        finally
        {
            system.Stop(producer);
            system.Stop(consumer);
            system.Stop(buffer);
        }
    }

    private sealed record Start
    {
        public static Start Instance { get; } = new();

        private Start() { }
    }

    /// <summary>Puts the numbers in order, <c>batch</c> per message, with at most <c>window</c> puts unanswered, then says it is done.</summary>
    private sealed class Producer : ReceiveActor
    {
        private readonly IActorRef _buffer;
        private readonly int _items;
        private readonly int _batch;
        private readonly int _window;
        private int _next;
        private int _unanswered;

        public Producer(IActorRef buffer, int items, int batch, int window)
        {
            _buffer = buffer;
            _items = items;
            _batch = batch;
            _window = window;
            Receive<Start>(_ => Fill());
            Receive<BufferProtocol.Accepted>(_ =>
            {
                _unanswered--;
                Fill();
                if (_unanswered == 0 && _next == _items)
                {
                    _buffer.Tell(BufferProtocol.ProducerDone.Instance);
                }
            });
        }

        private void Fill()
        {
            while (_unanswered < _window && _next < _items)
            {
                if (_batch == 1)
                {
                    _buffer.Tell(new BufferProtocol.Put<int>(_next++));
                }
                else
                {
                    var batch = new int[Math.Min(_batch, _items - _next)];
                    for (var i = 0; i < batch.Length; i++)
                    {
                        batch[i] = _next++;
                    }

                    _buffer.Tell(new BufferProtocol.PutBatch<int>(batch));
                }

                _unanswered++;
            }
        }
    }

    /// <summary>Keeps <c>window</c> takes outstanding and reports the count and sum when the buffer completes.</summary>
    private sealed class Consumer : ReceiveActor
    {
        private readonly IActorRef _buffer;
        private readonly BufferProtocol.Take _take;
        private readonly int _window;
        private long _count;
        private long _sum;

        public Consumer(IActorRef buffer, int batch, int window, TaskCompletionSource<(long, long, long)> finished)
        {
            _buffer = buffer;
            _take = new BufferProtocol.Take(batch);
            _window = window;
            Receive<BufferProtocol.Taken<int>>(taken =>
            {
                foreach (var item in taken.Items)
                {
                    _sum += item;
                }

                _count += taken.Items.Count;
                _buffer.Tell(_take);
            });
            Receive<BufferProtocol.Completed>(_ => finished.TrySetResult((_count, _sum, Stopwatch.GetTimestamp())));
        }

        protected override void PreStart()
        {
            for (var i = 0; i < _window; i++)
            {
                _buffer.Tell(_take);
            }
        }
    }
}
