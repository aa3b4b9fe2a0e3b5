using System.Text.Json;
using Actors.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EmbeddedHost;

/// <summary>
/// <c>GET /health</c> (every check), <c>/health/ready</c> and <c>/health/live</c>: ASP.NET Core's
/// health checks over the library's (<see cref="ActorsHealthChecks"/>). 200 when healthy or degraded
/// (a busy or stuck pool still takes work), 503 when unhealthy (a pool starting or unavailable, a
/// pool or buffer that does not answer). The body says why, per pool and buffer.
/// </summary>
internal static class HealthEndpoint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static IServiceCollection AddServiceHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().Add(ActorsHealthChecks.Readiness()).Add(ActorsHealthChecks.Liveness());
        return services;
    }

    public static void MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health", Options(_ => true));
        app.MapHealthChecks("/health/ready", Options(check => check.Tags.Contains(ActorsHealthChecks.ReadyTag)));
        app.MapHealthChecks("/health/live", Options(check => check.Tags.Contains(ActorsHealthChecks.LiveTag)));
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResponseWriter = WriteAsync,
    };

    /// <summary><c>{"status": "Healthy", "checks": {"actors-ready": {"status", "description", "data": {"pool:jobs": {…}, "buffer:items": {…}}}}}</c>.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => new
            {
                status = entry.Value.Status.ToString(),
                description = entry.Value.Description ?? entry.Value.Exception?.Message,
                data = entry.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
