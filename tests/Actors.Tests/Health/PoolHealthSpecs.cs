using Actors.Health;
using Actors.Pool;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Tests.Health;

/// <summary>How a pool's status reads as health: the rules of <see cref="PoolHealth"/>, without an actor system.</summary>
public sealed class PoolHealthSpecs
{
    private static readonly HealthSettings Settings = new() { StuckAfter = TimeSpan.FromSeconds(60), Timeout = TimeSpan.FromSeconds(5) };

    [Theory]
    [InlineData(2, 0, 4, 0, null, 0, PoolCondition.Ready, HealthStatus.Healthy)]
    [InlineData(2, 4, 4, 3, null, 0, PoolCondition.Busy, HealthStatus.Degraded)]
    [InlineData(2, 3, 4, 3, null, 0, PoolCondition.Ready, HealthStatus.Healthy)] // a worker still has room: not busy
    [InlineData(2, 1, 4, 0, null, 60, PoolCondition.Stuck, HealthStatus.Degraded)]
    [InlineData(2, 0, 4, 0, null, 600, PoolCondition.Ready, HealthStatus.Healthy)] // idle is not stuck
    [InlineData(0, 0, 0, 2, null, 0, PoolCondition.Starting, HealthStatus.Unhealthy)]
    [InlineData(0, 0, 0, 0, "worker process 42 exited with code 3", 0, PoolCondition.Unavailable, HealthStatus.Unhealthy)]
    public void A_pools_status_must_read_as_its_condition_and_readiness(
        int routees, int inFlight, int maxInFlight, int queued, string? unavailable, int silentSeconds, PoolCondition condition, HealthStatus readiness)
    {
        var status = new PoolStatus(routees, inFlight, maxInFlight, queued, ActiveJobs: 1, Retries: 0, Hosts: 0, unavailable);

        var found = PoolHealth.Condition(status, TimeSpan.FromSeconds(silentSeconds), Settings);

        Assert.Equal((condition, readiness), (found, PoolHealth.Readiness(found)));
        Assert.Contains("pool 'jobs'", PoolHealth.Explain("jobs", found, status, TimeSpan.FromSeconds(silentSeconds)));
    }

    [Fact]
    public void The_health_settings_must_come_from_reference_conf()
    {
        var settings = HealthSettings.Create(Actors.Configuration.ActorsConfig.Defaults);

        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5)), (settings.StuckAfter, settings.Timeout));
    }
}
