using Actors.Jobs;
using Actors.Pool;
using Actors.Protocol;
using Actors.Workers;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

public sealed class PoolSupervisionSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.deployment {
      /workers { router = round-robin-pool, nr-of-instances = 3 }
      /single { router = round-robin-pool, nr-of-instances = 1 }
    }
    """, output)
{
    private static readonly long[] OneBadInput = [0, 1, 2, 3, 4, -7, 6, 7, 8, 9];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Pool_must_retry_a_failing_input_up_to_max_attempts_then_fail_the_map_naming_it(int maxAttempts)
    {
        await using var pool = WorkerPool.Create(Sys, "workers");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            () => pool.MapAsync(new FailJob(), OneBadInput, new MapOptions { ChunkSize = 4, MaxAttempts = maxAttempts, RetryJobExceptions = true }).WaitAsync(Patience));

        var failure = e.FailedInput()!;
        Assert.Equal((5L, "-7", typeof(InvalidOperationException).FullName!, "fail job refuses negative input -7", maxAttempts),
            (failure.Index, failure.Input, failure.ErrorType, failure.Message, failure.Attempts));
        Assert.Equal("fail job refuses negative input -7", e.Message);
        var line = failure.ToString(); // the one line a log shows
        Assert.Contains("#5", line);
        Assert.Contains("(-7)", line);
        Assert.Contains("InvalidOperationException", line);
        Assert.Contains($"{maxAttempts} attempt(s)", line);
        await AwaitAssertAsync(async () => Assert.Equal(maxAttempts - 1, (await pool.GetStatusAsync()).Retries), Patience);
    }

    [Fact]
    public async Task Pool_must_report_a_failed_input_as_an_outcome_and_complete_the_others_when_collecting_failures()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");

        var outcomes = await pool.MapOutcomesAsync(new FailJob(), OneBadInput, new MapOptions { ChunkSize = 4, MaxAttempts = 2, RetryJobExceptions = true }).WaitAsync(Patience);

        Assert.Equal(Longs(10), outcomes.Select(o => o.Index));
        var failed = Assert.Single(outcomes, o => !o.Succeeded).Failure!;
        Assert.Equal((5L, "-7", typeof(InvalidOperationException).FullName!, "fail job refuses negative input -7", 2),
            (failed.Index, failed.Input, failed.ErrorType, failed.Message, failed.Attempts));
        Assert.All(outcomes.Where(o => o.Succeeded), o => Assert.Equal(OneBadInput[o.Index], o.Value));
    }

    [Fact]
    public async Task Pool_must_succeed_on_retry_for_a_job_that_fails_on_its_first_try_only()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");
        var run = FlakyJob.NewRun();
        var inputs = Longs(12).Select(i => new FlakyInput(run, i, Failures: i is 4 or 9 ? 1 : 0));

        var squares = await pool.MapAsync(new FlakyJob(), inputs, new MapOptions { ChunkSize = 5, MaxAttempts = 2, RetryJobExceptions = true }).WaitAsync(Patience);

        Assert.Equal(Squares(12), squares);
        Assert.Equal(2, FlakyJob.TriesOf(run, 4));
        Assert.Equal(2, FlakyJob.TriesOf(run, 9));
        Assert.Equal(1, FlakyJob.TriesOf(run, 5));
    }

    [Fact]
    public async Task Pool_must_restart_a_failed_worker_visibly_and_complete_the_rest_of_the_map()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");
        var run = FlakyJob.NewRun();
        var inputs = Longs(30).Select(i => new FlakyInput(run, i, Failures: i == 17 ? 1 : 0));

        var squares = await EventFilter.Warning(contains: "restarting").ExpectAsync(1, Patience,
            () => pool.MapAsync(new FlakyJob(), inputs, new MapOptions { ChunkSize = 4, RetryJobExceptions = true }).WaitAsync(Patience));

        Assert.Equal(Squares(30), squares);
        Assert.Equal(3, (await pool.GetStatusAsync()).Routees);
    }

    [Fact]
    public async Task Worker_must_report_the_outputs_before_the_failing_input_then_restart_and_keep_working()
    {
        var worker = Sys.ActorOf(Worker.Props(), "worker");
        var manager = CreateTestProbe();
        var failJob = JobRunner.NameOf(typeof(FailJob));

        await EventFilter.Warning(contains: "restarting").ExpectAsync(1, Patience, async () =>
        {
            worker.Tell(new RunChunk(1, failJob, new long[] { 10, 11, -12, 13 }), manager);
            var failed = await manager.ExpectMsgAsync<ChunkFailed>(Patience);
            Assert.Equal((1L, 2), (failed.ChunkId, failed.FailedOffset));
            Assert.Equal(new long[] { 10, 11 }, (long[])failed.CompletedOutputs!);
            Assert.Equal((typeof(InvalidOperationException).FullName, true, Environment.ProcessId), (failed.Error.Type, failed.Retryable, failed.Pid));
        });

        worker.Tell(new RunChunk(2, failJob, new long[] { 13 }), manager);
        var completed = await manager.ExpectMsgAsync<ChunkCompleted>(Patience);
        Assert.Equal(new long[] { 13 }, (long[])completed.Outputs!);
    }

    [Fact]
    public async Task Worker_must_refuse_an_unknown_job_type_without_a_retry_or_restart()
    {
        var worker = Sys.ActorOf(Worker.Props(), "worker");
        var manager = CreateTestProbe();

        await EventFilter.Warning(contains: "restarting").ExpectAsync(0, TimeSpan.FromMilliseconds(200), async () =>
        {
            worker.Tell(new RunChunk(1, "No.Such.Job, Nowhere", new long[] { 1 }), manager);
            var failed = await manager.ExpectMsgAsync<ChunkFailed>(Patience);
            Assert.Equal(typeof(UnknownJobException).FullName, failed.Error.Type);
            Assert.False(failed.Retryable);
            Assert.Contains("No.Such.Job, Nowhere", failed.Error.Message);
        });
    }

    [Fact]
    public async Task Pool_must_time_out_an_input_that_never_finishes_and_complete_the_others()
    {
        // One worker, and the input that never finishes comes last: every other input is ahead of it.
        await using var pool = WorkerPool.Create(Sys, "single");
        using var gate = Gate.Create();
        var inputs = Enumerable.Range(0, 11).Select(i => gate.Input(i, hold: i == 10));
        try
        {
            var outcomes = await pool.MapOutcomesAsync(new GatedSquareJob(), inputs,
                new MapOptions { ChunkSize = 1, MaxAttempts = 2, TaskTimeout = TimeSpan.FromSeconds(3) }).WaitAsync(Patience); // generous: a quick input must never look late on a loaded machine

            Assert.Equal(Squares(10), outcomes[..10].Select(o => o.Value));
            var failure = outcomes[10].Failure;
            Assert.NotNull(failure);
            Assert.Equal((10L, 2), (failure.Index, failure.Attempts));
            Assert.Contains(nameof(TimeoutException), failure.ErrorType);
            Assert.Contains("Value = 10", failure.Input);
            Assert.False(gate.Released.IsCompleted);
        }
        finally
        {
            gate.Release();
        }
    }

    [Fact]
    public async Task Pool_must_fail_a_submitted_input_that_never_finishes_with_a_timeout()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");
        using var gate = Gate.Create();
        try
        {
            var e = await Assert.ThrowsAsync<PoolTaskException>(() => pool.SubmitAsync(new GatedSquareJob(), gate.Input(3, hold: true),
                new MapOptions { MaxAttempts = 1, TaskTimeout = TimeSpan.FromMilliseconds(300) }).WaitAsync(Patience));

            Assert.Contains(nameof(TimeoutException), e.Failure.ErrorType);
            Assert.Equal((0L, 1), (e.Failure.Index, e.Failure.Attempts));
            Assert.Contains("timeout", e.Message);
        }
        finally
        {
            gate.Release();
        }
    }
}
