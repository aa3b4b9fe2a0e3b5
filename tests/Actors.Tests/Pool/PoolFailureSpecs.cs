using Actors.Pool;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

/// <summary>
/// What a caller catches when a job throws — the job's own exception, in every call alike, marked
/// with the input it failed on — and when an input is tried again.
/// Messages are not serialized here (as in a real local pool): the job's own exception object reaches the caller.
/// </summary>
public sealed class PoolFailureSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.serialize-messages = off
    akka.actor.deployment./workers { router = round-robin-pool, nr-of-instances = 2 }
    akka.actor.deployment./retrying { router = round-robin-pool, nr-of-instances = 2 }
    """, output)
{
    [Fact]
    public async Task A_map_must_throw_the_jobs_own_exception_marked_with_the_input_it_failed_on()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");
        var run = MissingKeyJob.NewRun();

        var e = await Assert.ThrowsAsync<KeyNotFoundException>(() => pool.MapAsync(new MissingKeyJob(), Inputs(run, 1, -2, 3)).WaitAsync(Patience));

        Assert.Same(Assert.Single(MissingKeyJob.ThrownIn(run)), e);
        var failure = e.FailedInput();
        Assert.NotNull(failure);
        Assert.Same(failure, PoolFailure.Of(e));
        Assert.Same(e, failure.Exception);
        Assert.Contains(nameof(MissingKeyJob.Run), e.StackTrace); // where the job threw, kept through the rethrow
        Assert.Equal((1L, typeof(KeyNotFoundException).FullName, 1), (failure.Index, failure.ErrorType, failure.Attempts));
        Assert.Equal(new KeyedInput(run, -2), failure.InputValue);
    }

    [Fact]
    public async Task Catch_of_the_jobs_exception_type_must_fire_in_every_call_with_the_failed_input_at_hand()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");
        var run = MissingKeyJob.NewRun();
        var bad = new KeyedInput(run, -1);

        async Task<Exception> Caught(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (KeyNotFoundException e)
            {
                return e;
            }
            throw new Xunit.Sdk.XunitException("catch (KeyNotFoundException) did not fire");
        }

        var failures = new List<Exception?>
        {
            await Caught(() => pool.MapAsync(new MissingKeyJob(), [bad])),
            await Caught(() => pool.SubmitAsync(new MissingKeyJob(), bad)),
            await Caught(async () => { await foreach (var _ in pool.MapOrderedAsync(new MissingKeyJob(), Async(bad))) { } }),
            (await pool.MapOutcomesAsync(new MissingKeyJob(), [bad])).Single().Failure?.Exception,
        };
        await foreach (var outcome in pool.MapUnorderedAsync(new MissingKeyJob(), [bad])) failures.Add(outcome.Failure?.Exception);

        Assert.Equal(5, failures.Count);
        Assert.Equal(MissingKeyJob.ThrownIn(run), failures.Select(failure => failure!));
        Assert.All(failures, failure => Assert.Equal((0L, bad), (failure!.FailedInput()!.Index, failure!.FailedInput()!.InputValue)));
    }

    [Fact]
    public async Task An_ordered_stream_must_yield_the_outputs_before_a_failed_input_then_throw_its_exception()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");
        var run = MissingKeyJob.NewRun();

        var outputs = new List<long>();
        var e = await Assert.ThrowsAsync<KeyNotFoundException>(async () =>
        {
            await foreach (var output in pool.MapOrderedAsync(new MissingKeyJob(), Async(Inputs(run, 1, 2, 3, -4, 5)), new MapOptions { ChunkSize = 1 }))
                outputs.Add(output);
        });

        Assert.Equal([1L, 2, 3], outputs);
        Assert.Equal(3, e.FailedInput()!.Index);
    }

    [Fact]
    public void A_failures_message_must_show_a_huge_input_cut_with_an_ellipsis_and_its_length_and_keep_it_whole()
    {
        var huge = new string('x', 50_000_000);
        var failure = new TaskFailure(7, huge, "System.ArgumentException", "too long", 1);

        var message = new PoolTaskException(failure).Message;

        Assert.True(message.Length < 1_000, $"a message of {message.Length:N0} characters");
        Assert.Contains(new string('x', TaskFailure.MostInputShown) + "… (50,000,000 characters)", message);
        Assert.Same(huge, failure.Input);
    }

    [Fact]
    public async Task A_job_that_throws_must_run_once_unless_exception_retries_are_asked_for()
    {
        await using var pool = WorkerPool.Create(Sys, "workers");
        var run = MissingKeyJob.NewRun();

        await Assert.ThrowsAsync<KeyNotFoundException>(() => pool.SubmitAsync(new MissingKeyJob(), new KeyedInput(run, -1), new MapOptions { MaxAttempts = 3 }));
        var retried = await Assert.ThrowsAsync<KeyNotFoundException>(() => pool.SubmitAsync(new MissingKeyJob(), new KeyedInput(run, -2),
            new MapOptions { MaxAttempts = 3, RetryJobExceptions = true }));

        Assert.Equal((1, 3), (MissingKeyJob.TriesOf(run, -1), MissingKeyJob.TriesOf(run, -2)));
        Assert.Equal(3, retried.FailedInput()!.Attempts);
    }

    [Fact]
    public async Task The_pools_setting_must_turn_exception_retries_on_for_every_call()
    {
        var settings = PoolSettings.Create(Sys.Settings.Config) with { RetryJobExceptions = true, MaxAttempts = 2 };
        await using var pool = WorkerPool.Create(Sys, "retrying", settings: settings);
        var run = MissingKeyJob.NewRun();

        await Assert.ThrowsAsync<KeyNotFoundException>(() => pool.SubmitAsync(new MissingKeyJob(), new KeyedInput(run, -1)));

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
