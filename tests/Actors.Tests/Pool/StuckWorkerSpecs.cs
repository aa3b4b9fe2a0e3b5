using Actors.Jobs;
using Actors.Pool;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

/// <summary>
/// A worker of this process still busy with a chunk past its deadline, its job deaf to
/// cancellation: the input fails with a timeout, the worker is retired and another takes its place,
/// so the pool keeps its size, and the pool's status says which job and input hold it until the job returns.
/// </summary>
public sealed class StuckWorkerSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.serialize-messages = off
    akka.actor.deployment./workers { router = round-robin-pool, nr-of-instances = 2 }
    """, output)
{
    [Fact]
    public async Task A_worker_stuck_past_its_deadline_is_replaced_and_reported_stuck_until_its_job_returns()
    {
        using var gate = Gate.Create();
        await using var pool = WorkerPool.Create(Sys, "workers");
        var timed = new MapOptions { TaskTimeout = TimeSpan.FromMilliseconds(500), MaxAttempts = 1, ChunkSize = 1 };

        var outcomes = await pool.MapOutcomesAsync(new StubbornJob(), [gate.Input(7, hold: true), gate.Input(2), gate.Input(3)], timed).WaitAsync(Patience);
        await AwaitAssertAsync(async () =>
        {
            var status = await pool.GetStatusAsync();
            Assert.Equal(2, status.Routees);
            var stuck = Assert.Single(status.Stuck ?? []);
            Assert.Contains(typeof(StubbornJob).FullName!, stuck, StringComparison.Ordinal);
            Assert.Contains("input #0", stuck, StringComparison.Ordinal);
        }, Patience, TimeSpan.FromMilliseconds(50));
        var squares = await pool.MapAsync(new SquareJob(), Longs(1000)).WaitAsync(Patience);
        gate.Release();

        Assert.Equal(typeof(TimeoutException).FullName, outcomes[0].Failure?.ErrorType);
        Assert.Equal(new long?[] { 4, 9 }, outcomes.Skip(1).Select(outcome => outcome.Succeeded ? outcome.Value : (long?)null));
        Assert.Equal(Squares(1000), squares);
        await AwaitAssertAsync(async () => Assert.Null((await pool.GetStatusAsync()).Stuck), Patience, TimeSpan.FromMilliseconds(50));
    }
}
