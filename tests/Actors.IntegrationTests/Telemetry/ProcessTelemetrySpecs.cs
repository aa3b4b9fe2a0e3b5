using System.Diagnostics;
using Actors.Pool;
using Actors.Telemetry;
using Actors.Tests.Telemetry;

namespace Actors.IntegrationTests.Telemetry;

/// <summary>
/// What a pool over 2 real worker processes reports, read in the pool's process with the
/// OpenTelemetry SDK's in-memory exporter: exact counts of inputs, failures and retries (after a
/// <c>kill -9</c> of a worker process), hosts started and lost, and one trace per map whose chunk
/// spans name the worker processes' pids and addresses.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ProcessTelemetrySpecs : ProcessPoolSpec
{
    /// <summary>Listening before the pool starts: its hosts' starts are counted too.</summary>
    private readonly TelemetryRecorder _telemetry = new();

    [Fact]
    public async Task A_map_over_worker_processes_counts_exactly_and_traces_each_chunk_to_its_worker_process()
    {
        // Input 500 throws (the job's exceptions are not retried by default).
        var inputs = Enumerable.Range(0, 1000).Select(i => i == 500 ? -1L : i).ToArray();

        var outcomes = await Pool.MapOutcomesAsync(new NegativeFailsJob(), inputs, Tracked(new MapOptions { ChunkSize = 100 })).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(500, Assert.Single(outcomes, outcome => outcome.Failure is not null).Index);
        var job = (TagNames.Job, typeof(NegativeFailsJob).FullName!);
        Assert.Equal(999, _telemetry.Sum("actors.pool.inputs.completed", "pool", job, (TagNames.Mode, "processes")));
        Assert.Equal(1, _telemetry.Sum("actors.pool.inputs.failed", "pool", job));
        Assert.Equal(0, _telemetry.Sum("actors.pool.inputs.retried", "pool"));
        Assert.Equal(1, _telemetry.Count("actors.pool.map.duration", "pool", job, (TagNames.ErrorType, null!)));
        Assert.Equal(2, _telemetry.Sum("actors.pool.hosts.started", "pool"));
        Assert.Equal(0, _telemetry.Sum("actors.pool.hosts.lost", "pool"));
        await AwaitAssertAsync(() => Assert.Equal(2, _telemetry.Sum("actors.pool.workers", "pool", (TagNames.WorkerState, "ready"))),
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));

        var spans = _telemetry.Spans("pool");
        var map = Assert.Single(spans, span => span.OperationName == CallTelemetry.MapSpan);
        var chunks = spans.Where(span => span.OperationName == ChunkSpans.SpanName).ToList();
        Assert.All(chunks, chunk => Assert.Equal((map.TraceId, map.SpanId), (chunk.TraceId, chunk.ParentSpanId)));
        // Every input's chunk: 10 chunks, the failed one's rest sent again as a chunk of its own.
        Assert.Equal(11, chunks.Count);
        Assert.Equal(1, chunks.Count(chunk => Equals(chunk.GetTagItem(TagNames.ChunkOutcome), "failed")));
        var pids = chunks.Select(chunk => (int)chunk.GetTagItem(TagNames.WorkerPid)!).ToHashSet();
        Assert.Equal(PidsSeen.Keys.Order(), pids.Order()); // the worker processes the map ran in, and no other
        Assert.DoesNotContain(Environment.ProcessId, pids);
        Assert.All(chunks, chunk => Assert.StartsWith("akka.ssl.tcp://", (string)chunk.GetTagItem(TagNames.WorkerAddress)!));
    }

    [Fact]
    public async Task A_worker_process_killed_mid_map_counts_its_running_input_retried_as_worker_lost()
    {
        var folder = Directory.CreateTempSubdirectory("actors-telemetry-").FullName;
        try
        {
            var inputs = new[] { new HeldInput(folder, 0), new HeldInput(folder, 1) };
            var map = Pool.MapAsync(new HeldJob(), inputs, Tracked(new MapOptions { ChunkSize = 1 }));
            // Both inputs run at once, so each holds one of the two worker processes.
            await AwaitConditionAsync(() => Task.FromResult(File.Exists(Path.Combine(folder, "started-0")) && File.Exists(Path.Combine(folder, "started-1"))),
                TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));
            var victim = int.Parse(File.ReadAllText(Path.Combine(folder, "started-0")));
            var survivor = int.Parse(File.ReadAllText(Path.Combine(folder, "started-1")));
            Track([victim, survivor]);
            ProcessPool.Kill(victim);
            await AwaitAssertAsync(() => Assert.Equal(1, _telemetry.Sum("actors.pool.hosts.lost", "pool")), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
            File.WriteAllText(Path.Combine(folder, "release"), "");

            Assert.Equal(new long[] { 0, 1 }, await map.WaitAsync(TimeSpan.FromMinutes(2)));

            Assert.Equal(2, _telemetry.Sum("actors.pool.inputs.completed", "pool"));
            Assert.Equal(0, _telemetry.Sum("actors.pool.inputs.failed", "pool"));
            Assert.Equal(1, _telemetry.Sum("actors.pool.inputs.retried", "pool", (TagNames.RetryReason, "worker_lost")));
            Assert.Equal(1, _telemetry.Sum("actors.pool.inputs.retried", "pool"));
            // The replacement starts: three hosts started in all, two serving.
            await AwaitAssertAsync(() =>
            {
                Assert.Equal(3, _telemetry.Sum("actors.pool.hosts.started", "pool"));
                Assert.Equal(2, _telemetry.Sum("actors.pool.hosts", "pool"));
            }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
            var chunks = _telemetry.Spans("pool").Where(span => span.OperationName == ChunkSpans.SpanName).ToList();
            Assert.Equal(3, chunks.Count); // two runs, and the run of input 0 again
            Assert.Single(chunks, chunk => Equals(chunk.GetTagItem(TagNames.ChunkOutcome), "worker_lost"));
            Assert.Equal(2, chunks.Count(chunk => Equals(chunk.GetTagItem(TagNames.ChunkOutcome), "completed")));
            Assert.DoesNotContain(chunks, chunk => Equals(chunk.GetTagItem(TagNames.WorkerPid), victim));
        }
        finally
        {
            File.WriteAllText(Path.Combine(folder, "release"), ""); // no worker waits past the spec
            Directory.Delete(folder, recursive: true);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _telemetry.Dispose();
        base.Dispose(disposing);
    }
}
