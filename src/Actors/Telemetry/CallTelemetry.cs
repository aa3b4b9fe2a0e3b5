using System.Diagnostics;

namespace Actors.Telemetry;

/// <summary>
/// One call of a pool, as it is reported: a span (<c>actors.pool.map</c> or <c>actors.pool.submit</c>),
/// a child of the caller's current activity, and for a map its duration. Inert when nobody listens:
/// no span, no clock read.
/// </summary>
internal sealed class CallTelemetry
{
    public const string MapSpan = "actors.pool.map";
    public const string SubmitSpan = "actors.pool.submit";

    private readonly Activity? _span;
    private readonly PoolTags _tags;
    private readonly string _job;
    private readonly long _started;

    private CallTelemetry(Activity? span, PoolTags tags, string job, long started)
    {
        _span = span;
        _tags = tags;
        _job = job;
        _started = started;
    }

    /// <summary>The context the call's chunks carry; none when the call is not traced.</summary>
    public ActivityContext Context => _span?.Context ?? default;

    /// <summary>A map starts: its span and its clock, or null when nobody listens to either.</summary>
    /// <param name="jobType">The job's assembly-qualified type name.</param>
    /// <param name="total">How many inputs it was given, when known.</param>
    public static CallTelemetry? StartMap(PoolTags tags, string jobType, long? total)
    {
        var timed = PoolInstruments.MapDuration.Enabled;
        var span = Start(MapSpan, tags, PoolTelemetry.JobName(jobType));
        if (span is null && !timed) return null;
        if (total is { } count && span is { IsAllDataRequested: true }) span.SetTag(TagNames.MapInputs, count);
        return new CallTelemetry(span, tags, PoolTelemetry.JobName(jobType), timed ? Stopwatch.GetTimestamp() : 0);
    }

    /// <summary>A submit's span, or null when it is not traced; <see cref="EndSubmit"/> ends it with the submit's task.</summary>
    /// <param name="jobName">The job's name as tagged (<see cref="PoolTelemetry.JobName"/>, worked out once per batcher).</param>
    public static Activity? StartSubmit(PoolTags tags, string jobName) => Start(SubmitSpan, tags, jobName);

    /// <summary>Ends a submit's span once <paramref name="outcome"/> is done.</summary>
    public static void EndSubmit(Activity span, Task outcome) =>
        outcome.ContinueWith(static (task, state) =>
        {
            var span = (Activity)state!;
            if (task.Exception?.InnerException is { } error) Fail(span, error.GetType().FullName!);
            else if (task.IsCanceled) Fail(span, typeof(OperationCanceledException).FullName!);
            span.Stop();
        }, span, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>The map ended: with its outcomes, or with <paramref name="errorType"/> (an exception's full type name).</summary>
    public void End(string? errorType)
    {
        if (_started != 0)
        {
            var tags = new TagList { { TagNames.Pool, _tags.Pool }, { TagNames.Mode, _tags.Mode }, { TagNames.Job, _job } };
            if (errorType is not null) tags.Add(TagNames.ErrorType, errorType);
            PoolInstruments.MapDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
        }
        if (_span is null) return;
        if (errorType is not null) Fail(_span, errorType);
        _span.Stop();
    }

    private static Activity? Start(string name, PoolTags tags, string jobName)
    {
        if (!ActorsTelemetry.Source.HasListeners()) return null;
        // The caller's activity stays its current one: the span is ended by the call, wherever it ends.
        var current = Activity.Current;
        var span = ActorsTelemetry.Source.StartActivity(name, ActivityKind.Internal);
        Activity.Current = current;
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TagNames.Pool, tags.Pool);
            span.SetTag(TagNames.Mode, tags.Mode);
            span.SetTag(TagNames.Job, jobName);
        }
        return span;
    }

    private static void Fail(Activity span, string errorType)
    {
        span.SetTag(TagNames.ErrorType, errorType);
        span.SetStatus(ActivityStatusCode.Error);
    }
}
