using System.Runtime.CompilerServices;
using Actors.Jobs;
using Actors.Pool;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

/// <summary>The pool's streaming calls: ordered and unordered outputs of sequences and of async input streams.</summary>
public sealed class WorkerPoolStreamSpecs(ITestOutputHelper output) : PoolSpec("""
    akka.actor.deployment {
      /round-robin-pool { router = round-robin-pool, nr-of-instances = 4 }
      /smallest-mailbox-pool { router = smallest-mailbox-pool, nr-of-instances = 3 }
    }
    """, output)
{
    [Fact]
    public async Task Pool_must_yield_every_input_exactly_once_when_unordered()
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");
        var run = FlakyJob.NewRun();
        // Every tenth input fails once, so chunks are split and retried: still one outcome per input.
        var inputs = Enumerable.Range(0, 500).Select(i => new FlakyInput(run, i, Failures: i % 10 == 3 ? 1 : 0));

        var seen = new List<TaskOutcome<long>>();
        await foreach (var outcome in pool.MapUnorderedAsync(new FlakyJob(), inputs, new MapOptions { ChunkSize = 7, RetryJobExceptions = true }).WithCancellation(Timeout()))
            seen.Add(outcome);

        Assert.Equal(Longs(500), seen.Select(o => o.Index).Order());
        Assert.All(seen, o => Assert.True(o.Succeeded && o.Value == o.Index * o.Index, $"outcome {o}"));
    }

    [Fact]
    public async Task Pool_must_yield_every_input_of_a_stream_exactly_once_when_unordered()
    {
        await using var pool = WorkerPool.Create(Sys, "smallest-mailbox-pool");

        var seen = new List<TaskOutcome<long>>();
        await foreach (var outcome in pool.MapUnorderedAsync(new SquareJob(), AsyncInputs(300), new MapOptions { ChunkSize = 4 }).WithCancellation(Timeout()))
            seen.Add(outcome);

        Assert.Equal(Longs(300), seen.Select(o => o.Index).Order());
        Assert.All(seen, o => Assert.Equal(o.Index * o.Index, o.Value));
    }

    [Fact]
    public async Task Pool_must_stream_the_outputs_of_an_async_input_stream_in_order()
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");

        var outputs = new List<long>();
        await foreach (var output in pool.MapOrderedAsync(new SquareJob(), AsyncInputs(1000), new MapOptions { ChunkSize = 9 }).WithCancellation(Timeout()))
            outputs.Add(output);

        Assert.Equal(Squares(1000), outputs);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Pool_must_stream_outputs_before_the_input_stream_has_ended(int? chunkSize)
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");
        var firstOutputSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // A live source: it produces more only once the consumer has seen a result.
        async IAsyncEnumerable<long> Live([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (long i = 0; i < 5; i++) yield return i;
            await firstOutputSeen.Task.WaitAsync(cancellationToken);
            for (long i = 5; i < 10; i++) yield return i;
        }

        var outputs = new List<long>();
        await foreach (var output in pool.MapOrderedAsync(new SquareJob(), Live(), new MapOptions { ChunkSize = chunkSize }).WithCancellation(Timeout()))
        {
            outputs.Add(output);
            firstOutputSeen.TrySetResult();
        }

        Assert.Equal(Squares(10), outputs);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task An_ordered_stream_must_yield_every_output_of_the_inputs_given_before_the_input_stream_threw_then_throw_its_exception(int? chunkSize)
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");

        var outputs = new List<long>();
        var e = await Assert.ThrowsAsync<FormatException>(async () =>
        {
            await foreach (var output in pool.MapOrderedAsync(new SquareJob(), ThrowingAfter(7), new MapOptions { ChunkSize = chunkSize }).WithCancellation(Timeout()))
                outputs.Add(output);
        });

        Assert.Equal(Squares(7), outputs); // Python's imap: the results computed before the input failed, then its exception
        Assert.Equal("input 7 is unreadable", e.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(2)]
    public async Task An_unordered_stream_must_yield_every_outcome_of_the_inputs_given_before_the_input_stream_threw_then_throw_its_exception(int? chunkSize)
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");

        var seen = new List<TaskOutcome<long>>();
        await Assert.ThrowsAsync<FormatException>(async () =>
        {
            await foreach (var outcome in pool.MapUnorderedAsync(new SquareJob(), ThrowingAfter(5), new MapOptions { ChunkSize = chunkSize }).WithCancellation(Timeout()))
                seen.Add(outcome);
        });

        Assert.Equal(Longs(5), seen.Select(o => o.Index).Order());
        Assert.All(seen, o => Assert.Equal(o.Index * o.Index, o.Value));
    }

    [Fact]
    public async Task An_unordered_stream_of_a_plain_sequence_must_yield_the_outcomes_before_the_sequence_threw_then_throw_it()
    {
        await using var pool = WorkerPool.Create(Sys, "round-robin-pool");

        IEnumerable<long> Throwing()
        {
            for (long i = 0; i < 4; i++) yield return i;
            throw new FormatException("input 4 is unreadable");
        }

        var seen = new List<long>();
        await Assert.ThrowsAsync<FormatException>(async () =>
        {
            await foreach (var outcome in pool.MapUnorderedAsync(new SquareJob(), Throwing()).WithCancellation(Timeout())) seen.Add(outcome.Index);
        });

        Assert.Equal(Longs(4), seen.Order());
    }

    /// <summary>Inputs 0 .. <paramref name="count"/>-1, then a <see cref="FormatException"/>, as a reader that meets a bad line does.</summary>
    private static async IAsyncEnumerable<long> ThrowingAfter(int count)
    {
        for (long i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
        throw new FormatException($"input {count} is unreadable");
    }
}
