using Actors.Jobs;
using Actors.Pool;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

public sealed class PoolResizerSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.deployment./resizing {
      router = round-robin-pool
      resizer { enabled = on, lower-bound = 1, upper-bound = 4, messages-per-resize = 1 }
    }
    """, output)
{
    [Fact]
    public async Task Pool_must_grow_under_load_within_the_resizer_bounds()
    {
        await using var pool = WorkerPool.Create(Sys, "resizing");
        await AwaitAssertAsync(async () => Assert.Equal(1, (await pool.GetStatusAsync()).Routees), Patience);

        // CPU-bound inputs keep the one worker busy with more waiting, until the pool has grown.
        const long n = 300_000;
        using var grown = new CancellationTokenSource();
        IEnumerable<long> Inputs()
        {
            for (var i = 0; i < 100_000 && !grown.IsCancellationRequested; i++) yield return n;
        }

        var map = pool.MapAsync(new SumRangeJob(), Inputs(), new MapOptions { ChunkSize = 1 });
        var sizes = new List<int>();
        try
        {
            await AwaitAssertAsync(async () =>
            {
                sizes.Add((await pool.GetStatusAsync()).Routees);
                Assert.True(sizes[^1] > 1, $"still {sizes[^1]} routee(s)");
            }, Patience, TimeSpan.FromMilliseconds(20));
        }
        finally
        {
            grown.Cancel();
        }

        var sums = await map.WaitAsync(Patience);
        Assert.NotEmpty(sums);
        Assert.All(sums, sum => Assert.Equal(n * (n - 1) / 2, sum));
        sizes.Add((await pool.GetStatusAsync()).Routees);
        Output?.WriteLine($"{sums.Length} inputs; routees seen: {string.Join(", ", sizes)}");
        Assert.All(sizes, size => Assert.InRange(size, 1, 4));
    }
}
