using System.Diagnostics;
using Akka.Actor;

namespace Actors.Telemetry;

/// <summary>
/// A span per chunk run, kept by the pool's manager: started when the chunk is sent to a worker, as a
/// child of the span its inputs belong to (their map's or submit's), and ended when that worker
/// answers, with the worker's process id and address; or when the worker is lost, the chunk is sent
/// again, or its job ends. Its context travels with the chunk (<c>RunChunk.Trace</c>), so what the
/// worker records, in whatever process it lives, joins the same trace.
/// </summary>
internal sealed class ChunkSpans
{
    public const string SpanName = "actors.pool.chunk";

    /// <summary>Open spans by chunk id, with the worker each chunk went to and its job.</summary>
    private readonly Dictionary<long, (Activity Span, IActorRef Worker, long JobId)> _open = new();

    /// <summary>
    /// A chunk goes to <paramref name="worker"/>: starts its span when the chunk's inputs are traced
    /// and someone listens. Returns the context to send with the chunk: the new span's, else the one
    /// its inputs belong to (none when untraced).
    /// </summary>
    public ActivityContext Sent(ActivityContext parent, IActorRef worker, long chunkId, long jobId, long firstIndex, int inputs, int tries, in TagList poolTags)
    {
        if (parent == default || !ActorsTelemetry.Source.HasListeners()) return parent;
        if (_open.Remove(chunkId, out var earlier)) End(earlier.Span, "resent", error: null);
        // Started without becoming the manager's current activity: the actor's thread serves other actors.
        var current = Activity.Current;
        var span = ActorsTelemetry.Source.StartActivity(SpanName, ActivityKind.Client, parent);
        Activity.Current = current;
        if (span is null) return parent;
        if (span.IsAllDataRequested)
        {
            foreach (var tag in poolTags) span.SetTag(tag.Key, tag.Value);
            span.SetTag(TagNames.ChunkId, chunkId);
            span.SetTag(TagNames.ChunkFirstIndex, firstIndex);
            span.SetTag(TagNames.ChunkInputs, inputs);
            span.SetTag(TagNames.ChunkAttempt, tries + 1);
            if (worker.Path.Address.HasGlobalScope) span.SetTag(TagNames.WorkerAddress, worker.Path.Address.ToString());
        }
        _open[chunkId] = (span, worker, jobId);
        return span.Context;
    }

    /// <summary><paramref name="worker"/> answered for a chunk: ends its span with how the run went, when the chunk was sent to it.</summary>
    /// <param name="error">The job's error type when the run failed; null when it completed.</param>
    public void Answered(long chunkId, IActorRef worker, int pid, string outcome, string? error)
    {
        if (_open.Count == 0 || !_open.TryGetValue(chunkId, out var open) || !open.Worker.Equals(worker)) return;
        _open.Remove(chunkId);
        open.Span.SetTag(TagNames.WorkerPid, pid);
        End(open.Span, outcome, error);
    }

    /// <summary>Workers were lost with what they held: their chunks' spans end as lost.</summary>
    public void Lost(IReadOnlyCollection<IActorRef> workers)
    {
        if (_open.Count == 0) return;
        foreach (var (chunkId, open) in _open.Where(open => workers.Contains(open.Value.Worker)).ToList())
        {
            _open.Remove(chunkId);
            End(open.Span, "worker_lost", "WorkerLost");
        }
    }

    /// <summary>A job ended: the spans of its chunks still out end as cancelled.</summary>
    public void JobEnded(long jobId)
    {
        if (_open.Count == 0) return;
        foreach (var (chunkId, open) in _open.Where(open => open.Value.JobId == jobId).ToList())
        {
            _open.Remove(chunkId);
            End(open.Span, "cancelled", error: null);
        }
    }

    public void EndAll(string outcome)
    {
        foreach (var open in _open.Values) End(open.Span, outcome, error: null);
        _open.Clear();
    }

    private static void End(Activity span, string outcome, string? error)
    {
        span.SetTag(TagNames.ChunkOutcome, outcome);
        if (error is not null)
        {
            span.SetTag(TagNames.ErrorType, error);
            span.SetStatus(ActivityStatusCode.Error, outcome);
        }
        CallTelemetry.Stop(span);
    }
}
