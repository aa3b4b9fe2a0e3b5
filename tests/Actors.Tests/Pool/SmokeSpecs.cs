using Actors.Configuration;
using Actors.Jobs;
using Actors.Pool;
using Akka.Configuration;

namespace Actors.Tests.Pool;

public sealed class SmokeSpecs() : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString("""
    akka.actor.serialize-messages = on
    akka.actor.deployment./squares { router = round-robin-pool, nr-of-instances = 4 }
    """).WithFallback(ActorsConfig.Defaults))
{
    [Fact]
    public async Task Pool_must_map_squares_in_order()
    {
        await using var pool = WorkerPool.Create(Sys, "squares");
        var result = await pool.MapAsync(new SquareJob(), Enumerable.Range(0, 10).Select(i => (long)i));
        Assert.Equal([0L, 1, 4, 9, 16, 25, 36, 49, 64, 81], result);
        var big = await pool.MapAsync(new SquareJob(), Enumerable.Range(0, 1_000_000).Select(i => (long)i));
        Assert.Equal(333332833333500000L, big.Sum());
    }
}
