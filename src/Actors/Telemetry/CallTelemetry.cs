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
        var traced = ActorsTelemetry.Source.HasListeners();
        if (!traced && !timed) return null;
        var job = PoolTelemetry.JobName(jobType);
        var span = traced ? Start(MapSpan, Tags(tags, job)) : null;
        if (span is null && !timed) return null;
        if (total is { } count && span is { IsAllDataRequested: true }) span.SetTag(TagNames.MapInputs, count);
        return new CallTelemetry(span, tags, job, timed ? Stopwatch.GetTimestamp() : 0);
    }

    /// <summary>What a call's span is tagged with: the pool, its mode and the job's name.</summary>
    /// <param name="jobName">The job's name as tagged (<see cref="PoolTelemetry.JobName"/>).</param>
    public static KeyValuePair<string, object?>[] Tags(PoolTags tags, string jobName) =>
        [new(TagNames.Pool, tags.Pool), new(TagNames.Mode, tags.Mode), new(TagNames.Job, jobName)];

    /// <summary>A submit's span, or null when it is not traced; <see cref="EndSubmit"/> ends it with the submit's outcome.</summary>
    /// <param name="tags">Its tags (<see cref="Tags"/>, made once per batcher).</param>
    public static Activity? StartSubmit(KeyValuePair<string, object?>[] tags) =>
        ActorsTelemetry.Source.HasListeners() ? Start(SubmitSpan, tags) : null;

    /// <summary>Ends a submit's span as its outcome is settled, wherever that happens.</summary>
    /// <param name="errorType">The full type name of the exception the submit ended with; null when it has its output.</param>
    public static void EndSubmit(Activity span, string? errorType)
    {
        if (errorType is not null) Fail(span, errorType);
        Stop(span);
    }

    /// <summary>
    /// Stops <paramref name="span"/> without changing the current activity of the thread that stops it
    /// (<see cref="Activity.Stop"/> makes the activity current at its start current again, which on an
    /// actor's or a pool thread would lend a caller's activity to whatever runs there next).
    /// </summary>
    internal static void Stop(Activity span)
    {
        var current = Activity.Current;
        span.Stop();
        if (Activity.Current != current) Activity.Current = current;
    }

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
        Stop(_span);
    }

    private static Activity? Start(string name, KeyValuePair<string, object?>[] tags)
    {
        // The caller's activity stays its current one: the span is ended by the call, wherever it ends.
        // Its tags are given at its creation (the sampler sees them, and they are stored in one go).
        var current = Activity.Current;
        var span = ActorsTelemetry.Source.StartActivity(name, ActivityKind.Internal, parentContext: default, tags);
        if (span is not null) Activity.Current = current;
        return span;
    }

    private static void Fail(Activity span, string errorType)
    {
        span.SetTag(TagNames.ErrorType, errorType);
        span.SetStatus(ActivityStatusCode.Error);
    }
}
