using System.Diagnostics;
using Actors.Protocol;
using Akka.Actor;

namespace Actors.Telemetry;

/// <summary>
/// The worker's own span of a chunk's run (<c>actors.worker.run</c>), a child of the context the
/// chunk carried, in whatever process the worker lives: the job's own spans nest under it. Started
/// only for a traced chunk in a process where someone listens.
/// </summary>
internal static class WorkerSpans
{
    public const string SpanName = "actors.worker.run";

    private static readonly int Pid = Environment.ProcessId;

    /// <summary>Starts the span and makes it current while the job runs; null when untraced or unheard.</summary>
    public static Activity? Start(RunChunk run, ActorSystem system)
    {
        if (run.Trace == default || !ActorsTelemetry.Source.HasListeners()) return null;
        var span = ActorsTelemetry.Source.StartActivity(SpanName, ActivityKind.Server, run.Trace);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TagNames.ChunkId, run.ChunkId);
            span.SetTag(TagNames.ChunkInputs, run.Inputs.Count);
            span.SetTag(TagNames.Job, PoolTelemetry.JobName(run.JobType));
            span.SetTag(TagNames.WorkerPid, Pid);
            var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
            if (address.HasGlobalScope) span.SetTag(TagNames.WorkerAddress, address.ToString());
        }
        return span;
    }

    /// <summary>Ends the span (if any) with how the run went, and clears it.</summary>
    public static void End(ref Activity? span, Exception? failure)
    {
        if (span is null) return;
        if (failure is not null)
        {
            var cause = failure.InnerException ?? failure;
            span.SetTag(TagNames.ErrorType, cause.GetType().FullName);
            span.SetStatus(ActivityStatusCode.Error, cause.Message);
        }
        span.Stop();
        span = null;
    }
}
