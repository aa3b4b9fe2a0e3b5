using Actors.Telemetry;
using Akka.Hosting;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EmbeddedHost;

/// <summary>
/// The service's OpenTelemetry: the library's meter and spans beside ASP.NET Core's, a Prometheus
/// scrape endpoint at <c>/metrics</c>, and OTLP (metrics, traces and logs) when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Akka's log events carry the trace of the span that was
/// current where they were logged. <c>Telemetry:TraceSampleRatio</c> (1 by default) is the share of
/// new traces kept; a request that comes with a sampled parent is kept.
/// </summary>
public static class Observability
{
    /// <summary>The service's name in every exported signal.</summary>
    public const string ServiceName = "embedded-host";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var ratio = builder.Configuration.GetValue("Telemetry:TraceSampleRatio", 1.0);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(ActorsTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(ActorsTelemetry.Name)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => context.Request.Path != "/metrics")
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio))))
            .WithLogging(logging => { }, options => options.AddAkkaTraceCorrelation());
        // OTLP for every signal, to the collector the standard variables name (endpoint, protocol, headers).
        if (otlp) telemetry.UseOtlpExporter();
        // The console's lines name the span that was current where a log call was made.
        builder.Logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        return builder;
    }

    /// <summary>Serves the Prometheus scrape endpoint, <c>GET /metrics</c>.</summary>
    public static WebApplication MapObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint();
        return app;
    }
}
