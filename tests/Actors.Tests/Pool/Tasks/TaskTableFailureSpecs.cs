using static Actors.Tests.Pool.Tasks.TableDriver;

namespace Actors.Tests.Pool.Tasks;

/// <summary>
/// The task table when a job throws for an input: what is delivered, what is charged, what is sent
/// on, and when an input is reported failed (see <see cref="TaskTableSpecs"/> for the set-up).
/// </summary>
public sealed class TaskTableFailureSpecs
{
    [Fact]
    public void Table_must_deliver_the_outputs_before_a_failed_input_and_send_the_inputs_after_it_on_uncharged()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 1), 1, 2, 3, 4);

        Assert.Equal(
            ["deliver job 1 #0: 1 pid 4242", "fail job 1 #1 (2) after 1: Boom: bad input", "send 2 to w1: 3,4"],
            table.Fail("w1", 1, offset: 1));
        // Had inputs 3 and 4 been charged for input 2's failure, this would say "after 2".
        Assert.Equal(["fail job 1 #2 (3) after 1: Boom: bad input", "send 4 to w1: 4"], table.Fail("w1", 2, offset: 0));
    }

    [Fact]
    public void Table_must_retry_a_failed_input_alone_ahead_of_the_rest_of_its_chunk_and_of_the_queue()
    {
        var table = new TableDriver(chunksPerWorker: 1);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 3), 1, 2, 3);
        table.Submit(1, 3, 4);

        Assert.Equal(["deliver job 1 #0: 1 pid 4242", "send 5 to w1: 2 (charged 1)"], table.Fail("w1", 1, offset: 1));
        Assert.Equal(["deliver job 1 #1: 4 pid 4242", "send 3 to w1: 3"], table.Complete("w1", 5));
        Assert.Equal(["deliver job 1 #2: 9 pid 4242", "send 2 to w1: 4"], table.Complete("w1", 3));
    }

    [Fact]
    public void Table_must_report_a_failed_input_once_its_tries_are_spent()
    {
        var table = new TableDriver();
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 2), 7);

        Assert.Equal(["send 3 to w1: 7 (charged 1)"], table.Fail("w1", 1, offset: 0));
        Assert.Equal(["fail job 1 #0 (7) after 2: Boom: bad input"], table.Fail("w1", 3, offset: 0));
        Assert.Equal(0, table.Table.Counts.InFlight + table.Table.Counts.Queued);
    }

    [Fact]
    public void Table_must_report_a_failure_that_may_not_be_retried_at_once()
    {
        var table = new TableDriver();
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 3), 7);

        Assert.Equal(
            ["fail job 1 #0 (7) after 1: Boom: job type 'x' was not found"],
            table.Fail("w1", 1, offset: 0, retryable: false, message: "job type 'x' was not found"));
    }

    [Fact]
    public void Table_must_not_retry_an_input_whose_job_threw_when_the_policy_says_so()
    {
        var table = new TableDriver();
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 3, retryJobExceptions: false), 7);

        Assert.Equal(["fail job 1 #0 (7) after 1: Boom: bad input"], table.Fail("w1", 1, offset: 0));
    }

    [Theory]
    [InlineData(2, 0)] // past the chunk's end
    [InlineData(-1, 0)]
    [InlineData(1, 0)] // fewer outputs than inputs before the failed one
    [InlineData(0, 1)] // more
    public void Table_must_treat_a_failure_that_does_not_fit_its_chunk_as_a_lost_answer(int offset, int completedOutputs)
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 3), 1, 2);
        table.Submit(1, 2, 3);

        Assert.Empty(table.Failed("w1", 1, offset, new int[completedOutputs]));

        // Chunk 1 still waits for its answer; the worker's next answer shows it was lost.
        Assert.Equal(["deliver job 1 #2: 9 pid 4242", "send 4 to w1: 1 (charged 1)", "send 3 to w1: 2 (charged 1)"], table.Complete("w1", 2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Table_must_treat_results_that_do_not_fit_their_chunk_as_a_lost_answer(int outputs)
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 3), 1, 2);
        table.Submit(1, 2, 3);

        Assert.Empty(table.Completed("w1", 1, new int[outputs]));

        Assert.Equal(["deliver job 1 #2: 9 pid 4242", "send 4 to w1: 1 (charged 1)", "send 3 to w1: 2 (charged 1)"], table.Complete("w1", 2));
    }
}
