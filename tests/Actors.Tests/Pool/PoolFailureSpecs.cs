using Actors.Pool;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

/// <summary>
/// What a caller catches when a job throws, in every call alike, and when an input is tried again.
/// Messages are not serialized here (as in a real local pool): the job's own exception object reaches the caller.
/// </summary>
public sealed class PoolFailureSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.serialize-messages = off
    akka.actor.deployment./workers { router = round-robin-pool, nr-of-instances = 2 }
    akka.actor.deployment./retrying { router = round-robin-pool, nr-of-instances = 2 }
    """, output)
{
    [Fact]
    public async Task A_map_must_throw_a_pool_exception_whose_inner_exception_is_the_jobs_own()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");
        var run = MissingKeyJob.NewRun();

        var e = await Assert.ThrowsAsync<PoolTaskException>(() => pool.MapAsync(new MissingKeyJob(), Inputs(run, 1, -2, 3)).WaitAsync(Patience));

        Assert.Same(Assert.Single(MissingKeyJob.ThrownIn(run)), e.InnerException);
        Assert.Same(e.InnerException, e.Failure.Exception);
        Assert.Contains(nameof(MissingKeyJob.Run), e.Failure.StackTrace);
        Assert.Equal((1L, typeof(KeyNotFoundException).FullName), (e.Failure.Index, e.Failure.ErrorType));
    }

    [Fact]
    public async Task Every_call_must_report_a_failed_input_the_same_way()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");
        var run = MissingKeyJob.NewRun();
        var bad = new KeyedInput(run, -1);

        var failures = new List<Exception?>
        {
            (await Assert.ThrowsAsync<PoolTaskException>(() => pool.MapAsync(new MissingKeyJob(), [bad]))).InnerException,
            (await Assert.ThrowsAsync<PoolTaskException>(() => pool.SubmitAsync(new MissingKeyJob(), bad))).InnerException,
            (await Assert.ThrowsAsync<PoolTaskException>(async () => { await foreach (var _ in pool.MapOrderedAsync(new MissingKeyJob(), Async(bad))) { } })).InnerException,
            (await pool.MapOutcomesAsync(new MissingKeyJob(), [bad])).Single().Failure?.Exception,
        };
        await foreach (var outcome in pool.MapUnorderedAsync(new MissingKeyJob(), [bad])) failures.Add(outcome.Failure?.Exception);

        Assert.Equal(5, failures.Count);
        Assert.All(failures, failure => Assert.IsType<KeyNotFoundException>(failure));
        Assert.Equal(MissingKeyJob.ThrownIn(run), failures.Select(failure => failure!));
    }

    [Fact]
    public async Task A_job_that_throws_must_run_once_unless_exception_retries_are_asked_for()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");
        var run = MissingKeyJob.NewRun();

        await Assert.ThrowsAsync<PoolTaskException>(() => pool.SubmitAsync(new MissingKeyJob(), new KeyedInput(run, -1), new MapOptions { MaxAttempts = 3 }));
        var retried = await Assert.ThrowsAsync<PoolTaskException>(() => pool.SubmitAsync(new MissingKeyJob(), new KeyedInput(run, -2),
            new MapOptions { MaxAttempts = 3, RetryJobExceptions = true }));

        Assert.Equal((1, 3), (MissingKeyJob.TriesOf(run, -1), MissingKeyJob.TriesOf(run, -2)));
        Assert.Equal(3, retried.Failure.Attempts);
    }

    [Fact]
    public async Task The_pools_setting_must_turn_exception_retries_on_for_every_call()
    {
        var settings = PoolSettings.Create(Sys.Settings.Config) with { RetryJobExceptions = true, MaxAttempts = 2 };
        await using var pool = WorkerPool.Create(Sys, "retrying", settings: settings);
        var run = MissingKeyJob.NewRun();

        await Assert.ThrowsAsync<PoolTaskException>(() => pool.SubmitAsync(new MissingKeyJob(), new KeyedInput(run, -1)));

        Assert.Equal(2, MissingKeyJob.TriesOf(run, -1));
    }

    private static KeyedInput[] Inputs(string run, params long[] values) => values.Select(value => new KeyedInput(run, value)).ToArray();

    private static async IAsyncEnumerable<KeyedInput> Async(params KeyedInput[] inputs)
    {
        foreach (var input in inputs)
        {
            await Task.Yield();
            yield return input;
        }
    }
}
