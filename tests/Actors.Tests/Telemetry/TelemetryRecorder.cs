using System.Diagnostics;
using Actors.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Actors.Tests.Telemetry;

/// <summary>
/// The library's metrics and spans, collected in memory by the OpenTelemetry SDK as a host would
/// (every span sampled). Other specs may run pools meanwhile: readings are filtered by pool name.
/// </summary>
public sealed class TelemetryRecorder : IDisposable
{
    private readonly List<MetricSnapshot> _metrics = new();
    private readonly List<Activity> _spans = new();
    private readonly MeterProvider _meters;
    private readonly TracerProvider? _tracer;

    /// <param name="tracing">Whether to record spans too; a spec that reads only metrics leaves the pools of the specs that run beside it untraced.</param>
    public TelemetryRecorder(bool tracing = true)
    {
        _meters = Sdk.CreateMeterProviderBuilder().AddMeter(ActorsTelemetry.Name).AddInMemoryExporter(_metrics).Build()!;
        _tracer = tracing ? Sdk.CreateTracerProviderBuilder().AddSource(ActorsTelemetry.Name).SetSampler(new AlwaysOnSampler()).AddProcessor(new SpanCollector(_spans)).Build()! : null;
    }

    /// <summary>
    /// Keeps every span as it ends, under the list's lock: spans end on whatever thread finishes them,
    /// while a spec reads the list (the SDK's in-memory exporter adds without a lock, and a read
    /// beside it failed with "Collection was modified").
    /// </summary>
    private sealed class SpanCollector(List<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            lock (spans) spans.Add(data);
        }
    }

    /// <summary>The value of a counter or up-down counter for <paramref name="pool"/> now, summed over the points whose tags include <paramref name="tags"/>.</summary>
    public long Sum(string metric, string pool, params (string Key, string Value)[] tags) =>
        Points(metric, (TagNames.Pool, pool), tags).Sum(point => point.GetSumLong());

    /// <summary>The value of a buffer's counter or up-down counter now, summed over the points whose tags include <paramref name="tags"/>.</summary>
    public long BufferSum(string metric, string buffer, params (string Key, string Value)[] tags) =>
        Points(metric, (TagNames.Buffer, buffer), tags).Sum(point => point.GetSumLong());

    /// <summary>How many values a histogram of <paramref name="pool"/> has recorded, over the points whose tags include <paramref name="tags"/>.</summary>
    public long Count(string metric, string pool, params (string Key, string Value)[] tags) =>
        Points(metric, (TagNames.Pool, pool), tags).Sum(point => point.GetHistogramCount());

    /// <summary>The tag sets of a metric's points for <paramref name="pool"/>.</summary>
    public IReadOnlyList<Dictionary<string, object?>> TagSets(string metric, string pool) =>
        Points(metric, (TagNames.Pool, pool), []).Select(TagsOf).ToList();

    /// <summary>The spans ended so far whose pool tag is <paramref name="pool"/>, or that belong to a trace that has one.</summary>
    public IReadOnlyList<Activity> Spans(string pool)
    {
        lock (_spans)
        {
            var traces = _spans.Where(span => Equals(span.GetTagItem(TagNames.Pool), pool)).Select(span => span.TraceId).ToHashSet();
            return _spans.Where(span => traces.Contains(span.TraceId)).ToList();
        }
    }

    private List<MetricPoint> Points(string metric, (string Key, string Value) owner, (string Key, string Value)[] tags)
    {
        _meters.ForceFlush();
        lock (_metrics)
        {
            var latest = _metrics.LastOrDefault(snapshot => snapshot.Name == metric);
            if (latest is null) return [];
            return latest.MetricPoints.Where(point =>
            {
                var set = TagsOf(point);
                return Equals(set.GetValueOrDefault(owner.Key), owner.Value) && tags.All(tag => Equals(set.GetValueOrDefault(tag.Key), tag.Value));
            }).ToList();
        }
    }

    private static Dictionary<string, object?> TagsOf(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (var tag in point.Tags) tags[tag.Key] = tag.Value;
        return tags;
    }

    public void Dispose()
    {
        _tracer?.Dispose();
        _meters.Dispose();
    }
}
