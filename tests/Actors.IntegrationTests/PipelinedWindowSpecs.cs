using Actors.Jobs;
using Actors.Pool;

namespace Actors.IntegrationTests;

/// <summary>
/// The pipelined window over real worker processes: chunks of one input are kept in flight by the
/// hundred (in batches, answered in batches), and each input still yields exactly one outcome, in
/// order when asked, also when a worker process is killed with many chunks in flight to it.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class PipelinedWindowSpecs : ProcessPoolSpec
{
    [Fact]
    public async Task Chunks_of_one_input_pipeline_deeply_and_each_is_answered_once_in_input_order()
    {
        const int count = 20_000;
        var deepest = new InFlightWatch(Pool);
        var options = Tracked(new MapOptions { ChunkSize = 1 });

        var outputs = new List<long>(count);
        await foreach (var output in Pool.MapOrderedAsync(new SquareJob(), Enumerable.Range(0, count).Select(i => (long)i).ToAsyncEnumerable(), options))
            outputs.Add(output);
        var (inFlight, status) = await deepest.StopAsync();

        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i * i), outputs);
        Assert.Equal(2, PidsSeen.Count);
        // Far more than the two chunks per worker a fixed window would allow.
        Assert.True(inFlight > 2 * status.Routees, $"at most {inFlight} chunks were in flight to {status.Routees} workers");
    }

    [Fact]
    public async Task Killing_a_worker_process_with_many_chunks_in_flight_loses_none_and_repeats_none()
    {
        const int count = 60_000;
        var completed = 0L;
        var deepest = new InFlightWatch(Pool);
        var options = Tracked(new MapOptions { ChunkSize = 1 }, progress => Interlocked.Exchange(ref completed, progress.Completed));
        var map = Pool.MapOutcomesAsync(new SpinJob(), Enumerable.Range(0, count).Select(i => (long)i), options);

        await AwaitConditionAsync(() => Task.FromResult(Interlocked.Read(ref completed) > count / 10 && PidsSeen.Count >= 2 && deepest.Deepest > 4),
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(10));
        var victim = PidsSeen.Keys.First();
        ProcessPool.Kill(victim);

        var outcomes = await map.WaitAsync(TimeSpan.FromMinutes(3));
        await deepest.StopAsync();

        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), outcomes.Select(o => o.Index));
        Assert.All(outcomes, o => Assert.Equal(3 * o.Index + 1, o.Value));
        Assert.False(ProcessPool.IsRunning(victim));
        var status = await Pool.GetStatusAsync();
        Assert.True(status.Retries > 1, $"the chunks in flight to the killed process were sent again: {status}");
    }

    /// <summary>Polls the pool's status while a map runs (there is no event for it) and keeps the most chunks seen in flight.</summary>
    private sealed class InFlightWatch
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<PoolStatus> _watching;
        private int _deepest;

        public InFlightWatch(WorkerPool pool) => _watching = WatchAsync(pool);

        public int Deepest => Volatile.Read(ref _deepest);

        public async Task<(int Deepest, PoolStatus Last)> StopAsync()
        {
            await _stop.CancelAsync();
            var last = await _watching;
            _stop.Dispose();
            return (Deepest, last);
        }

        private async Task<PoolStatus> WatchAsync(WorkerPool pool)
        {
            while (true)
            {
                var status = await pool.GetStatusAsync();
                if (status.InFlightChunks > _deepest) Volatile.Write(ref _deepest, status.InFlightChunks);
                if (_stop.IsCancellationRequested) return status;
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(5), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // One more look, then done.
                }
            }
        }
    }
}
