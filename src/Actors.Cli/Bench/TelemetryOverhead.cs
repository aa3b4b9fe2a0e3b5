using System.Diagnostics;
using System.Globalization;
using Actors.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Actors.Cli.Bench;

/// <summary>
/// What listening to the library costs: a headline run again with the OpenTelemetry SDK attached,
/// collecting the library's metrics (and, for the tracing row, every span: map, submit, chunk and
/// worker run, all sampled) into in-memory exporters. The SDK is attached before the run's clock
/// starts and taken off after it stops, so the other rows run with no listener at all.
/// </summary>
internal static class TelemetryOverhead
{
    /// <summary>The issue's targets: the most a metrics listener, and a metrics and tracing listener, may cost.</summary>
    internal const double TargetMetrics = 0.05;
    internal const double TargetTracing = 0.15;

    /// <summary>The row of <paramref name="headline"/> with the metrics listener.</summary>
    public static string WithMetrics(string headline) => $"{headline} + metrics listener";

    /// <summary>The row of <paramref name="headline"/> with the metrics and tracing listeners.</summary>
    public static string WithTracing(string headline) => $"{headline} + metrics and tracing (100% sampled)";

    /// <summary>The two listened rows of <paramref name="headline"/>, each running <paramref name="run"/> under its listener.</summary>
    public static IEnumerable<BenchCompetitor> Rows(string headline, int items, BenchExpectation expected, Func<string, CancellationToken, Task<BenchRun>> run)
    {
        yield return new(WithMetrics(headline), items, expected, ct => ListenedAsync(tracing: false, () => run(WithMetrics(headline), ct)));
        yield return new(WithTracing(headline), items, expected, ct => ListenedAsync(tracing: true, () => run(WithTracing(headline), ct)));
    }

    /// <summary>One line per listener: its overhead on <paramref name="headline"/>'s median, against its target.</summary>
    public static IEnumerable<string> Describe(BenchOutcome outcome, string headline)
    {
        if (outcome.Find(headline)?.MedianItemsPerSecond is not { } bare) yield break;
        foreach (var (row, target) in new[] { (WithMetrics(headline), TargetMetrics), (WithTracing(headline), TargetTracing) })
        {
            if (outcome.Find(row)?.MedianItemsPerSecond is not { } listened) continue;
            var overhead = bare / listened - 1;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"target: overhead of {row[headline.Length..].Trim()} on {headline} <= {target:0%} (medians): {overhead:+0.0%;-0.0%}, {(overhead <= target ? "met" : "NOT met")}");
        }
    }

    private static async Task<BenchRun> ListenedAsync(bool tracing, Func<Task<BenchRun>> run)
    {
        var metrics = new List<Metric>();
        var spans = new List<Activity>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(ActorsTelemetry.Name).AddInMemoryExporter(metrics).Build();
        using var tracer = tracing
            ? Sdk.CreateTracerProviderBuilder().AddSource(ActorsTelemetry.Name).SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(spans).Build()
            : null;
        return await run().ConfigureAwait(false);
    }
}
