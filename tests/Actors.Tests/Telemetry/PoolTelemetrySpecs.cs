using System.Diagnostics;
using Actors.Jobs;
using Actors.Pool;
using Actors.Telemetry;
using Actors.Tests.Pool;
using Xunit.Abstractions;

namespace Actors.Tests.Telemetry;

/// <summary>
/// What a local pool reports through the library's meter and activity source, read with the
/// OpenTelemetry SDK's in-memory exporter: exact counts of inputs, failures and retries, a duration
/// per map and per chunk, its gauges at rest, and one trace per call whose chunk spans name their worker.
/// </summary>
public sealed class PoolTelemetrySpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.deployment {
      /telemetry-map { router = round-robin-pool, nr-of-instances = 3 }
      /telemetry-fail { router = round-robin-pool, nr-of-instances = 2 }
      /telemetry-trace { router = round-robin-pool, nr-of-instances = 2 }
      /telemetry-submit { router = round-robin-pool, nr-of-instances = 2 }
      /telemetry-submit-ends { router = round-robin-pool, nr-of-instances = 2 }
    }
    """, output)
{
    private const string Completed = "actors.pool.inputs.completed";
    private const string Failed = "actors.pool.inputs.failed";
    private const string Retried = "actors.pool.inputs.retried";

    [Fact]
    public async Task Map_must_count_its_inputs_and_time_the_call_and_each_chunk()
    {
        using var telemetry = new TelemetryRecorder();
        await using var pool = WorkerPool.Create(Sys, "telemetry-map");

        await pool.MapAsync(new SquareJob(), Longs(1000), new MapOptions { ChunkSize = 100 }).WaitAsync(Patience);
        await pool.MapAsync(new SquareJob(), Longs(10), new MapOptions { ChunkSize = 5 }).WaitAsync(Patience);

        var job = (TagNames.Job, typeof(SquareJob).FullName!);
        Assert.Equal(1010, telemetry.Sum(Completed, "telemetry-map", job, (TagNames.Mode, "local")));
        Assert.Equal(0, telemetry.Sum(Failed, "telemetry-map"));
        Assert.Equal(0, telemetry.Sum(Retried, "telemetry-map"));
        Assert.Equal(2, telemetry.Count("actors.pool.map.duration", "telemetry-map", job));
        Assert.Equal(12, telemetry.Count("actors.pool.input.duration", "telemetry-map", job)); // once per chunk
        // At rest: nothing in flight or queued, every worker ready.
        await AwaitAssertAsync(() =>
        {
            Assert.Equal(0, telemetry.Sum("actors.pool.chunks.in_flight", "telemetry-map"));
            Assert.Equal(0, telemetry.Sum("actors.pool.chunks.queued", "telemetry-map"));
            Assert.Equal(3, telemetry.Sum("actors.pool.workers", "telemetry-map", (TagNames.WorkerState, "ready")));
            Assert.Equal(0, telemetry.Sum("actors.pool.workers", "telemetry-map", (TagNames.WorkerState, "busy")));
        }, Patience);
    }

    [Fact]
    public async Task Map_must_count_failures_and_retries_by_reason()
    {
        using var telemetry = new TelemetryRecorder();
        await using var pool = WorkerPool.Create(Sys, "telemetry-fail");
        var run = FlakyJob.NewRun();
        // Input 3 fails once and succeeds on its second try; input 5 fails all three tries.
        var inputs = Enumerable.Range(0, 8).Select(i => new FlakyInput(run, i, i switch { 3 => 1, 5 => 3, _ => 0 })).ToArray();

        var outcomes = await pool.MapOutcomesAsync(new FlakyJob(), inputs, new MapOptions { ChunkSize = 1, RetryJobExceptions = true, MaxAttempts = 3 }).WaitAsync(Patience);

        Assert.Single(outcomes, outcome => outcome.Failure is not null);
        Assert.Equal(7, telemetry.Sum(Completed, "telemetry-fail"));
        Assert.Equal(1, telemetry.Sum(Failed, "telemetry-fail", (TagNames.Job, typeof(FlakyJob).FullName!)));
        Assert.Equal(3, telemetry.Sum(Retried, "telemetry-fail", (TagNames.RetryReason, "job_exception")));
        Assert.Equal(3, telemetry.Sum(Retried, "telemetry-fail"));
    }

    [Fact]
    public async Task Map_must_trace_one_span_per_call_with_a_child_span_per_chunk_naming_its_worker()
    {
        using var telemetry = new TelemetryRecorder();
        await using var pool = WorkerPool.Create(Sys, "telemetry-trace");
        using var caller = new ActivitySource("Actors.Tests.Caller");
        using var listener = CallerListener(caller);

        using (caller.StartActivity("caller"))
            await pool.MapAsync(new SquareJob(), Longs(40), new MapOptions { ChunkSize = 10 }).WaitAsync(Patience);

        var spans = telemetry.Spans("telemetry-trace");
        var map = Assert.Single(spans, span => span.OperationName == CallTelemetry.MapSpan);
        Assert.Equal("caller", map.Parent?.OperationName); // the caller's activity is the map's parent
        Assert.Equal(40L, map.GetTagItem(TagNames.MapInputs));
        var chunks = spans.Where(span => span.OperationName == ChunkSpans.SpanName).ToList();
        Assert.Equal(4, chunks.Count);
        Assert.All(chunks, chunk =>
        {
            Assert.Equal((map.TraceId, map.SpanId), (chunk.TraceId, chunk.ParentSpanId));
            Assert.Equal(Environment.ProcessId, chunk.GetTagItem(TagNames.WorkerPid));
            Assert.Equal("completed", chunk.GetTagItem(TagNames.ChunkOutcome));
        });
        Assert.Equal(40, chunks.Sum(chunk => (int)chunk.GetTagItem(TagNames.ChunkInputs)!));
        // The worker's own span of each run is a child of its chunk's span, through the context the chunk carried.
        var runs = spans.Where(span => span.OperationName == WorkerSpans.SpanName).ToList();
        Assert.Equal(chunks.Select(chunk => chunk.SpanId.ToHexString()).Order(), runs.Select(run => run.ParentSpanId.ToHexString()).Order());
    }

    [Fact]
    public async Task Submits_must_each_have_a_span_and_count_as_completed_inputs()
    {
        using var telemetry = new TelemetryRecorder();
        await using var pool = WorkerPool.Create(Sys, "telemetry-submit");

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => pool.SubmitAsync(new SquareJob(), (long)i))).WaitAsync(Patience);

        Assert.Equal(Squares(50), results);
        Assert.Equal(50, telemetry.Sum(Completed, "telemetry-submit"));
        var spans = telemetry.Spans("telemetry-submit");
        var submits = spans.Where(span => span.OperationName == CallTelemetry.SubmitSpan).ToList();
        Assert.Equal(50, submits.Count);
        // Each chunk of submits is a child of one of them.
        var chunks = spans.Where(span => span.OperationName == ChunkSpans.SpanName).ToList();
        Assert.NotEmpty(chunks);
        Assert.All(chunks, chunk => Assert.Contains(submits, submit => submit.SpanId == chunk.ParentSpanId));
        Assert.Equal(50, chunks.Sum(chunk => (int)chunk.GetTagItem(TagNames.ChunkInputs)!));
    }

    [Fact]
    public async Task Submit_span_must_end_with_its_outcome_before_its_caller_sees_it_and_leave_the_callers_activity_current()
    {
        using var telemetry = new TelemetryRecorder();
        await using var pool = WorkerPool.Create(Sys, "telemetry-submit-ends");
        using var caller = new ActivitySource("Actors.Tests.Caller");
        using var listener = CallerListener(caller);
        using var gate = Gate.Create();
        using var cancel = new CancellationTokenSource();

        using var call = caller.StartActivity("caller");
        var done = pool.SubmitAsync(new FailJob(), 3L);
        Assert.Same(call, Activity.Current);
        var failed = pool.SubmitAsync(new FailJob(), -1L);
        Assert.Equal(3L, await done.WaitAsync(Patience));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failed.WaitAsync(Patience));
        // Held only once the others have ended: a chunk sent to the worker that holds it would wait
        // behind it (each worker keeps two chunks in flight), and the spec would wait for itself.
        var held = pool.SubmitAsync(new GatedSquareJob(), gate.Input(2, hold: true), cancellationToken: cancel.Token);
        Assert.Same(call, Activity.Current);

        await AwaitConditionAsync(() => Task.FromResult(gate.Held == 1), Patience);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held.WaitAsync(Patience));

        // Each span ended as its submit did, before the caller saw it end.
        var submits = telemetry.Spans("telemetry-submit-ends").Where(span => span.OperationName == CallTelemetry.SubmitSpan).ToList();
        Assert.Equal(3, submits.Count);
        Assert.All(submits, span => Assert.Equal(call!.SpanId, span.ParentSpanId));
        Assert.Equal(
            [null, typeof(InvalidOperationException).FullName, typeof(OperationCanceledException).FullName],
            submits.Select(span => span.GetTagItem(TagNames.ErrorType) as string).OrderBy(type => type, StringComparer.Ordinal));
        Assert.Equal(2, submits.Count(span => span.Status == ActivityStatusCode.Error));
        Assert.Same(call, Activity.Current);
    }

    private static ActivityListener CallerListener(ActivitySource source)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
