using Actors.Pool.Tasks;
using static Actors.Tests.Pool.Tasks.TableDriver;

namespace Actors.Tests.Pool.Tasks;

/// <summary>
/// The task table when workers go: a lost worker (its process or node died) is charged only for the
/// chunk it was running; a retiring one (a pool shrinks, a member leaves) for nothing.
/// </summary>
public sealed class TaskTableWorkerSpecs
{
    private const string Lost = "WorkerLost: worker process 7 exited with code 134";

    [Fact]
    public void Table_must_charge_only_the_running_chunk_of_a_lost_worker()
    {
        var table = new TableDriver(chunksPerWorker: 3);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 1), 1);
        table.Submit(1, 1, 2, 3);
        table.Submit(1, 3, 4);

        // It started chunks 1 and 2: chunk 1 had finished (its answer is lost), chunk 2 was running.
        Assert.Equal(
            [
                $"fail job 1 #2 (3) after 1: {Lost} while running input #2",
                $"fail job 1 #1 (2) after 1: {Lost} while running input #1",
            ],
            table.LoseWorkers(["w1"], 1, 2));

        // Chunks 1 and 3 went back to the queue under their ids, uncharged (nor reported, with one try allowed).
        Assert.Equal(new TableCounts(Workers: 0, InFlight: 0, MaxInFlight: 0, Queued: 2, Jobs: 1, Retries: 2), table.Table.Counts);
        Assert.Equal(["send 1 to w2: 1", "send 3 to w2: 4"], table.AddWorkers("w2"));
    }

    [Fact]
    public void Table_must_retry_each_input_of_a_lost_workers_running_chunk_alone_ahead_of_the_rest()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 3), 1, 2);
        table.Submit(1, 2, 3);

        Assert.Empty(table.LoseWorkers(["w1"], 1));

        Assert.Equal(["send 4 to w2: 1 (charged 1)", "send 3 to w2: 2 (charged 1)"], table.AddWorkers("w2"));
        Assert.Equal(["deliver job 1 #0: 1 pid 4242", "send 2 to w2: 3"], table.Complete("w2", 4));
    }

    [Theory]
    [InlineData(new long[0])]
    [InlineData(new[] { 99L })] // announced, but not by this worker
    public void Table_must_charge_the_first_run_of_a_lost_worker_that_announced_none_of_its_runs(long[] announced)
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 1), 1);
        table.Submit(1, 1, 2);

        Assert.Equal([$"fail job 1 #0 (1) after 1: {Lost} while running input #0"], table.LoseWorkers(["w1"], announced));
        Assert.Equal(["send 2 to w2: 2"], table.AddWorkers("w2"));
    }

    [Fact]
    public void Table_must_charge_nothing_when_a_lost_worker_was_running_a_chunk_that_no_longer_counts()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(), 1);
        table.EndJob(1);
        table.StartJob(2, Policy(maxAttempts: 1), 2);

        Assert.Empty(table.LoseWorkers(["w1"], 1));

        Assert.Equal(["send 2 to w2: 2"], table.AddWorkers("w2"));
    }

    [Fact]
    public void Table_must_retry_a_lost_workers_chunk_even_when_the_policy_does_not_retry_job_exceptions()
    {
        var table = new TableDriver();
        table.AddWorkers("w1", "w2");
        table.StartJob(1, Policy(maxAttempts: 2, retryJobExceptions: false), 1);

        Assert.Equal(["send 2 to w2: 1 (charged 1)"], table.LoseWorkers(["w1"], 1));
    }

    [Fact]
    public void Table_must_ignore_a_lost_workers_late_answers()
    {
        var table = new TableDriver();
        table.AddWorkers("w1", "w2");
        table.StartJob(1, Policy(), 1);
        Assert.Equal(["send 2 to w2: 1 (charged 1)"], table.LoseWorkers(["w1"], 1));

        Assert.Empty(table.Complete("w1", 1));
        Assert.Empty(table.Completed("w1", 2, [1]));
        Assert.Equal(["deliver job 1 #0: 1 pid 4242"], table.Complete("w2", 2));
    }

    [Fact]
    public void Table_must_send_a_lost_worker_nothing_more()
    {
        var table = new TableDriver();
        table.AddWorkers("w1", "w2");
        table.StartJob(1, Policy(), 1);
        table.LoseWorkers(["w1"], 1);

        Assert.Empty(table.Submit(1, 1, 2));
        Assert.Equal(new TableCounts(Workers: 1, InFlight: 1, MaxInFlight: 1, Queued: 1, Jobs: 1, Retries: 1), table.Table.Counts);
    }

    [Fact]
    public void Table_must_requeue_everything_a_retiring_worker_held_uncharged_and_in_order()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 1), 1);
        table.Submit(1, 1, 2);

        Assert.Empty(table.RetireWorkers("w1"));

        Assert.Equal(new TableCounts(Workers: 0, InFlight: 0, MaxInFlight: 0, Queued: 2, Jobs: 1, Retries: 2), table.Table.Counts);
        Assert.Empty(table.Complete("w1", 1));
        Assert.Equal(["send 1 to w2: 1", "send 2 to w2: 2"], table.AddWorkers("w2"));
    }
}
