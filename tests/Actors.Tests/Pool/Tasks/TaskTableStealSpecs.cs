using Actors.Pool.Tasks;
using static Actors.Tests.Pool.Tasks.TableDriver;

namespace Actors.Tests.Pool.Tasks;

/// <summary>
/// A chunk sent to a worker that is still busy with a long one has not started: once that worker has
/// been silent for <c>steal-after</c> and another is idle with nothing queued, the chunk goes there,
/// uncharged, and waits no longer behind the long one.
/// </summary>
public sealed class TaskTableStealSpecs
{
    private static readonly TimeSpan StealAfter = TimeSpan.FromMilliseconds(100);

    /// <summary>w1 runs a long chunk (1) with a short one (3) behind it; w2 has answered its own (2) and is idle.</summary>
    private static TableDriver BusyBesideIdle(TimeSpan? stealAfter, WorkerChoice choice = WorkerChoice.RoundRobin)
    {
        var table = new TableDriver(chunksPerWorker: 2, choice, stealAfter);
        table.AddWorkers("w1", "w2");
        table.StartJob(1, Policy(maxAttempts: 1), 1);
        table.Submit(1, 1, 2);
        table.Submit(1, 2, 3);
        return table;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Table_must_send_a_chunk_waiting_behind_a_silent_worker_to_an_idle_one_uncharged(bool leastLoaded)
    {
        var table = BusyBesideIdle(StealAfter, leastLoaded ? WorkerChoice.LeastLoaded : WorkerChoice.RoundRobin);
        table.Now = TimeSpan.FromMilliseconds(99);
        Assert.Equal(["deliver job 1 #1: 4 pid 4242"], table.Complete("w2", 2)); // w1 has not been silent for long

        table.Now = StealAfter;
        Assert.Equal(["cancel 3 at w1", "send 4 to w2: 3"], table.Expire());
        Assert.Equal(["deliver job 1 #2: 9 pid 4242"], table.Complete("w2", 4));
        Assert.Equal(["deliver job 1 #0: 1 pid 4242"], table.Complete("w1", 1));
        Assert.Empty(table.Complete("w1", 3)); // w1 ran it after all: that answer is ignored
        Assert.Equal(new TableCounts(2, 0, 4, 0, 1, 1), table.Table.Counts);
    }

    [Fact]
    public void Table_must_take_back_nothing_from_a_worker_that_answers_within_steal_after()
    {
        var table = BusyBesideIdle(StealAfter);
        table.Now = TimeSpan.FromMilliseconds(60);
        table.Complete("w2", 2);
        table.Now = TimeSpan.FromMilliseconds(120);
        Assert.Equal(["deliver job 1 #0: 1 pid 4242"], table.Complete("w1", 1)); // heard from: silent since 120 ms only

        table.Now = TimeSpan.FromMilliseconds(200);
        Assert.Empty(table.Expire());
        Assert.Equal(["deliver job 1 #2: 9 pid 4242"], table.Complete("w1", 3));
    }

    [Fact]
    public void Table_must_take_back_nothing_until_a_worker_is_idle()
    {
        var table = BusyBesideIdle(StealAfter);
        table.Now = TimeSpan.FromSeconds(1);
        Assert.Empty(table.Expire()); // w2 still runs chunk 2

        Assert.Equal(["send 4 to w2: 4"], table.Submit(1, 3, 4));
        Assert.Equal(["deliver job 1 #1: 4 pid 4242"], table.Complete("w2", 2)); // w2 has chunk 4 to run
        Assert.Equal(["deliver job 1 #3: 16 pid 4242", "cancel 3 at w1", "send 5 to w2: 3"], table.Complete("w2", 4));
    }

    [Fact]
    public void Table_must_never_take_back_a_chunk_when_steal_after_is_zero()
    {
        var table = BusyBesideIdle(stealAfter: null);
        table.Complete("w2", 2);
        table.Now = TimeSpan.FromMinutes(10);

        Assert.Empty(table.Expire());
        Assert.Equal(new TableCounts(2, 2, 4, 0, 1, 0), table.Table.Counts);
    }
}
