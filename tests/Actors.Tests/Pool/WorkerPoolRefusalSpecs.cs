using Actors.Jobs;
using Actors.Pool;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

/// <summary>What the pool refuses before any work starts: types that are not jobs, jobs a worker cannot build, invalid options.</summary>
public sealed class WorkerPoolRefusalSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.deployment./round-robin-pool { router = round-robin-pool, nr-of-instances = 2 }
    """, output)
{
    [Fact]
    public async Task Pool_must_refuse_a_type_that_is_not_a_job()
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");

        var e = await Assert.ThrowsAsync<UnknownJobException>(() => pool.MapAsync(new NotAJob(), new[] { 1L }));
        Assert.Contains(typeof(NotAJob).FullName!, e.Message);
        Assert.Contains("is not a job", e.Message);
    }

    [Fact]
    public async Task Pool_must_refuse_a_job_a_worker_cannot_build()
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");

        var e = await Assert.ThrowsAsync<UnknownJobException>(() => pool.MapAsync(new NeedsFactorJob(3), new[] { 1L }));
        Assert.Contains(typeof(NeedsFactorJob).FullName!, e.Message);
        Assert.Contains("public parameterless constructor", e.Message);
    }

    [Theory]
    [InlineData(0, null, null, "ChunkSize")]
    [InlineData(null, 0, null, "MaxAttempts")]
    [InlineData(null, null, 0, "TaskTimeout")]
    [InlineData(null, null, -1, "TaskTimeout")] // Timeout.InfiniteTimeSpan: none is null, not minus one
    public async Task Pool_must_refuse_invalid_map_options(int? chunkSize, int? maxAttempts, int? timeoutMilliseconds, string option)
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");
        var options = new MapOptions
        {
            ChunkSize = chunkSize,
            MaxAttempts = maxAttempts,
            TaskTimeout = timeoutMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        };

        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => pool.MapAsync(new SquareJob(), new[] { 1L }, options));
        Assert.Contains(option, e.Message);
    }

    [Theory]
    [InlineData("local", 0)]
    [InlineData("local", -1)]
    [InlineData("processes", -1)]
    [InlineData("cluster", -1)]
    public void Pool_must_refuse_a_router_size_that_gives_no_worker_with_an_out_of_range_argument_in_every_mode(string mode, int size)
    {
        var settings = PoolSettings.Default with { Mode = mode };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => WorkerPool.Create(Sys, $"sized-{mode}", new Akka.Routing.RoundRobinPool(size), settings));

        Assert.Equal(size, e.ActualValue);
        Assert.Contains("nr-of-instances", e.Message);
    }
}
