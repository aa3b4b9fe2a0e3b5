using Actors.Pool.Tasks;
using static Actors.Tests.Pool.Tasks.TableDriver;

namespace Actors.Tests.Pool.Tasks;

/// <summary>
/// The task table, on its own and without an actor system: which worker gets each chunk, how much a
/// worker may hold, and which answers count. Workers are strings, time is set by the spec, and the
/// invariants are checked after every command (<see cref="TableDriver"/>).
/// </summary>
public sealed class TaskTableSpecs
{
    [Fact]
    public void Table_must_send_each_chunk_to_the_next_worker_in_turn_that_has_room()
    {
        var table = new TableDriver(chunksPerWorker: 1);
        table.AddWorkers("w1", "w2", "w3");
        table.StartJob(1, Policy());

        Assert.Equal(["send 1 to w1: 1"], table.Submit(1, 0, 1));
        Assert.Equal(["send 2 to w2: 2"], table.Submit(1, 1, 2));
        Assert.Equal(["send 3 to w3: 3"], table.Submit(1, 2, 3));
        Assert.Equal(["deliver job 1 #1: 4 pid 4242"], table.Complete("w2", 2));
        // The turn is w1's, but w1 is full: the next worker with room takes it.
        Assert.Equal(["send 4 to w2: 4"], table.Submit(1, 3, 4));
    }

    [Fact]
    public void Table_must_send_each_chunk_to_the_least_loaded_worker_when_told_to()
    {
        var table = new TableDriver(chunksPerWorker: 3, WorkerChoice.LeastLoaded);
        table.AddWorkers("w1");
        table.StartJob(1, Policy());
        table.Submit(1, 0, 1);
        table.Submit(1, 1, 2);
        table.AddWorkers("w2");

        // w1 holds two chunks, w2 none: w2 takes chunks until it holds as many as w1; ties go in turn.
        Assert.Equal(["send 3 to w2: 3"], table.Submit(1, 2, 3));
        Assert.Equal(["send 4 to w2: 4"], table.Submit(1, 3, 4));
        Assert.Equal(["send 5 to w1: 5"], table.Submit(1, 4, 5));
    }

    [Fact]
    public void Table_must_hold_at_most_chunks_per_worker_runs_on_each_worker()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy());

        Assert.Equal(["send 1 to w1: 1"], table.Submit(1, 0, 1));
        Assert.Equal(["send 2 to w1: 2"], table.Submit(1, 1, 2));
        Assert.Empty(table.Submit(1, 2, 3));
        Assert.Equal(new TableCounts(Workers: 1, InFlight: 2, MaxInFlight: 2, Queued: 1, Jobs: 1, Retries: 0), table.Table.Counts);

        Assert.Equal(["deliver job 1 #0: 1 pid 4242", "send 3 to w1: 3"], table.Complete("w1", 1));
    }

    [Fact]
    public void Table_must_keep_a_run_that_no_longer_counts_in_its_workers_room_until_the_worker_answers()
    {
        var table = new TableDriver(chunksPerWorker: 1);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(), 1);
        table.EndJob(1);

        // The worker is still busy with job 1's chunk, though nobody waits for it any more.
        Assert.Empty(table.StartJob(2, Policy(), 5));
        Assert.Equal(new TableCounts(Workers: 1, InFlight: 0, MaxInFlight: 1, Queued: 1, Jobs: 1, Retries: 0), table.Table.Counts);
        Assert.Equal(["send 2 to w1: 5"], table.Complete("w1", 1));
    }

    [Fact]
    public void Table_must_deliver_a_chunks_results_once_however_often_they_come()
    {
        var table = new TableDriver();
        table.AddWorkers("w1");
        table.StartJob(1, Policy(), 2, 3);

        Assert.Equal(["deliver job 1 #0: 4,9 pid 4242"], table.Complete("w1", 1));
        Assert.Empty(table.Complete("w1", 1));
        Assert.Empty(table.Fail("w1", 1, offset: 0));
    }

    [Fact]
    public void Table_must_ignore_an_answer_from_a_worker_the_chunk_was_not_sent_to()
    {
        var table = new TableDriver();
        table.AddWorkers("w1", "w2");
        table.StartJob(1, Policy(), 2);

        Assert.Empty(table.Completed("w2", 1, [4]));
        Assert.Empty(table.Completed("stranger", 1, [4]));
        Assert.Empty(table.Failed("w2", 1, 0, []));
        Assert.Empty(table.Completed("w1", 99, [4]));
        Assert.Equal(["deliver job 1 #0: 4 pid 4242"], table.Complete("w1", 1));
    }

    [Fact]
    public void Table_must_ignore_answers_for_a_job_that_has_ended()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(), 2);
        table.Submit(1, 1, 3);
        Assert.Equal(["cancel 1 at w1", "cancel 2 at w1"], table.EndJob(1));

        Assert.Empty(table.Complete("w1", 1));
        Assert.Empty(table.Fail("w1", 2, offset: 0));
    }

    [Fact]
    public void Table_must_drop_an_ended_jobs_queued_chunks_at_once_and_stop_counting_its_running_ones()
    {
        var table = new TableDriver(chunksPerWorker: 1);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(), 1);
        table.Submit(1, 1, 2);
        table.Submit(1, 2, 3);
        table.StartJob(2, Policy(), 4);
        Assert.Equal(new TableCounts(Workers: 1, InFlight: 1, MaxInFlight: 1, Queued: 3, Jobs: 2, Retries: 0), table.Table.Counts);

        Assert.Equal(["cancel 1 at w1"], table.EndJob(1));

        Assert.Equal(new TableCounts(Workers: 1, InFlight: 0, MaxInFlight: 1, Queued: 1, Jobs: 1, Retries: 0), table.Table.Counts);
        Assert.Equal(["send 4 to w1: 4"], table.Complete("w1", 1));
    }

    [Fact]
    public void Table_must_ignore_inputs_submitted_for_a_job_that_is_not_open()
    {
        var table = new TableDriver();
        table.AddWorkers("w1");

        Assert.Empty(table.Submit(9, 0, 1));
        table.StartJob(1, Policy());
        table.EndJob(1);
        Assert.Empty(table.Submit(1, 0, 1));
        Assert.Equal(new TableCounts(Workers: 1, InFlight: 0, MaxInFlight: 1, Queued: 0, Jobs: 0, Retries: 0), table.Table.Counts);
    }

    [Fact]
    public void Table_must_charge_the_runs_a_worker_skipped_when_it_answers_a_later_one()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 1), 1, 2);
        table.Submit(1, 2, 3);

        // The worker answers in order: chunk 1's answer (or chunk 1 itself) was lost on the way.
        Assert.Equal(
            [
                "fail job 1 #1 (2) after 1: NoAnswer: input #1: no answer from its worker (a message was lost)",
                "fail job 1 #0 (1) after 1: NoAnswer: input #0: no answer from its worker (a message was lost)",
                "deliver job 1 #2: 9 pid 4242",
            ],
            table.Complete("w1", 2));
    }

    [Fact]
    public void Table_must_retry_the_inputs_of_a_skipped_run_alone_and_first()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 3), 1, 2);
        table.Submit(1, 2, 3);

        Assert.Equal(["deliver job 1 #2: 9 pid 4242", "send 4 to w1: 1 (charged 1)", "send 3 to w1: 2 (charged 1)"], table.Complete("w1", 2));
        Assert.Equal(2, table.Table.Counts.Retries);
    }

    [Fact]
    public void Table_must_report_an_input_whose_every_answer_is_lost_once_its_tries_are_spent()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 2), 1);
        table.Submit(1, 1, 2);

        Assert.Equal(["deliver job 1 #1: 4 pid 4242", "send 3 to w1: 1 (charged 1)"], table.Complete("w1", 2));
        Assert.Equal(["send 4 to w1: 3"], table.Submit(1, 2, 3));
        Assert.Equal(
            [
                "fail job 1 #0 (1) after 2: NoAnswer: input #0: no answer from its worker (a message was lost)",
                "deliver job 1 #2: 9 pid 4242",
            ],
            table.Complete("w1", 4));
    }

    [Fact]
    public void Table_must_report_every_queued_input_failed_with_the_reason_given()
    {
        var table = new TableDriver(chunksPerWorker: 1);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(), 1, 2);
        table.Submit(1, 2, 3, 4);
        table.StartJob(2, Policy(), 5);

        Assert.Equal(
            [
                "fail job 1 #2 (3) after 0: NoWorkersLeft: every worker process exited",
                "fail job 1 #3 (4) after 0: NoWorkersLeft: every worker process exited",
                "fail job 2 #0 (5) after 0: NoWorkersLeft: every worker process exited",
            ],
            table.FailQueued("every worker process exited"));

        // The running chunk is not queued: its worker still answers for it.
        Assert.Equal(new TableCounts(Workers: 1, InFlight: 1, MaxInFlight: 1, Queued: 0, Jobs: 2, Retries: 0), table.Table.Counts);
        Assert.Equal(["deliver job 1 #0: 1,4 pid 4242"], table.Complete("w1", 1));
    }

    [Fact]
    public void Table_must_count_a_worker_added_twice_once()
    {
        var table = new TableDriver(chunksPerWorker: 2);

        table.AddWorkers("w1", "w1");
        table.AddWorkers("w1");

        Assert.Equal(new TableCounts(Workers: 1, InFlight: 0, MaxInFlight: 2, Queued: 0, Jobs: 0, Retries: 0), table.Table.Counts);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Table_must_refuse_fewer_than_one_chunk_per_worker(int chunksPerWorker)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TaskTable<string>(chunksPerWorker, WorkerChoice.RoundRobin, TimeSpan.FromSeconds(5)));
        Assert.Equal("chunksPerWorker", error.ParamName);
    }
}
