using Actors.Hosting;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Health;

/// <summary>
/// The library's health checks, for <c>services.AddHealthChecks().Add(…)</c>: readiness (tag
/// <see cref="ReadyTag"/>: may this instance take work) and liveness (tag <see cref="LiveTag"/>:
/// is its actor system alive). Both report every hosted pool and buffer in their data.
/// </summary>
/// <example><code>
/// builder.Services.AddHealthChecks().Add(ActorsHealthChecks.Readiness()).Add(ActorsHealthChecks.Liveness());
/// app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ActorsHealthChecks.ReadyTag) });
/// </code></example>
public static class ActorsHealthChecks
{
    /// <summary>The tag of the readiness check.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The tag of the liveness check.</summary>
    public const string LiveTag = "live";

    /// <summary>Ready when every pool has workers; degraded while one is busy or stuck, or a buffer is full or completed; unhealthy while one is starting or unavailable.</summary>
    public static HealthCheckRegistration Readiness(string name = "actors-ready") => Registration(name, HealthKind.Ready, ReadyTag);

    /// <summary>Healthy while every pool's manager and every buffer answers; unhealthy when one does not (the actor system is gone or wedged).</summary>
    public static HealthCheckRegistration Liveness(string name = "actors-live") => Registration(name, HealthKind.Live, LiveTag);

    private static HealthCheckRegistration Registration(string name, HealthKind kind, string tag) =>
        new(name, services => new ActorsHealthCheck(services.GetRequiredService<HostedActors>(), services.GetRequiredService<ActorSystem>(), kind),
            HealthStatus.Unhealthy, [tag]);
}
