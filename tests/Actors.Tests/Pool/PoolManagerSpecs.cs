using Actors.Jobs;
using Actors.Pool;
using Akka.Actor;
using Akka.Routing;
using Akka.TestKit;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

/// <summary>
/// The manager's task table, seen from both of its sides: a test probe plays the caller, and
/// another plays the one worker (added to the router by hand, as a worker process's workers are).
/// </summary>
public sealed class PoolManagerSpecs(ITestOutputHelper output) : PoolSpec("", output)
{
    private static readonly string Square = JobRunner.NameOf(typeof(SquareJob));

    [Fact]
    public async Task Manager_must_deliver_each_chunk_result_to_the_caller_once()
    {
        var (manager, worker, caller) = await StartAsync();
        manager.Tell(new StartJob(1, Square, 3, null, caller.Ref));
        manager.Tell(new SubmitChunk(1, 0, new long[] { 1, 2 }));

        var first = await worker.ExpectMsgAsync<RunChunk>(Patience);
        Assert.Equal((Square, true), (first.JobType, first.Acknowledge));
        Assert.Equal(new long[] { 1, 2 }, (long[])first.Inputs);
        worker.Reply(new ChunkStarted(first.ChunkId));
        worker.Reply(new ChunkCompleted(first.ChunkId, new long[] { 1, 4 }, 42));
        worker.Reply(new ChunkCompleted(first.ChunkId, new long[] { 1, 4 }, 42)); // a copy of the chunk also finished
        manager.Tell(new SubmitChunk(1, 2, new long[] { 3 }));
        var second = await worker.ExpectMsgAsync<RunChunk>(Patience);
        worker.Reply(new ChunkCompleted(second.ChunkId, new long[] { 9 }, 42));

        var results = await caller.ExpectMsgAsync<ResultsReady>(Patience);
        Assert.Equal((1L, 0L, 42), (results.JobId, results.FirstIndex, results.Pid));
        Assert.Equal(new long[] { 1, 4 }, (long[])results.Outputs);
        var next = await caller.ExpectMsgAsync<ResultsReady>(Patience);
        Assert.Equal(2L, next.FirstIndex);
    }

    [Fact]
    public async Task Manager_must_keep_at_most_chunks_per_worker_in_flight()
    {
        var (manager, worker, caller) = await StartAsync(new PoolSettings { ChunksPerWorker = 2 });
        manager.Tell(new StartJob(1, Square, 3, null, caller.Ref));
        for (var i = 0; i < 5; i++) manager.Tell(new SubmitChunk(1, i, new long[] { i }));

        var running = new Queue<RunChunk>([await worker.ExpectMsgAsync<RunChunk>(Patience), await worker.ExpectMsgAsync<RunChunk>(Patience)]);
        Assert.Equal(new PoolStatus(1, 2, 2, 3, 1, 0, 0), await StatusAsync(manager));

        for (var next = 2; running.Count > 0; next++)
        {
            var done = running.Dequeue();
            worker.Reply(new ChunkCompleted(done.ChunkId, done.Inputs, 1));
            Assert.Equal(((long[])done.Inputs)[0], (await caller.ExpectMsgAsync<ResultsReady>(Patience)).FirstIndex);
            if (next >= 5) continue;
            var run = await worker.ExpectMsgAsync<RunChunk>(Patience);
            Assert.Equal(new long[] { next }, (long[])run.Inputs);
            running.Enqueue(run);
            Assert.Equal(2, (await StatusAsync(manager)).InFlightChunks);
        }
        Assert.Equal(new PoolStatus(1, 0, 2, 0, 1, 0, 0), await StatusAsync(manager));
    }

    [Fact]
    public async Task Manager_must_retry_a_failed_input_alone_and_send_the_rest_of_its_chunk_on()
    {
        var (manager, worker, caller) = await StartAsync();
        manager.Tell(new StartJob(1, Square, 2, null, caller.Ref));
        manager.Tell(new SubmitChunk(1, 0, new long[] { 10, 11, 12 }));

        var chunk = await worker.ExpectMsgAsync<RunChunk>(Patience);
        worker.Reply(new ChunkFailed(chunk.ChunkId, 1, new long[] { 100 }, "Boom", "input 11 is bad", Retryable: true, 42));
        var before = await caller.ExpectMsgAsync<ResultsReady>(Patience);
        Assert.Equal(new long[] { 100 }, (long[])before.Outputs);

        var retry = await worker.ExpectMsgAsync<RunChunk>(Patience);
        Assert.Equal(new long[] { 11 }, (long[])retry.Inputs);
        var rest = await worker.ExpectMsgAsync<RunChunk>(Patience);
        Assert.Equal(new long[] { 12 }, (long[])rest.Inputs);

        worker.Reply(new ChunkFailed(retry.ChunkId, 0, Array.Empty<long>(), "Boom", "input 11 is still bad", Retryable: true, 42));
        await caller.ExpectMsgAsync(new InputFailed(1, 1, "11", "Boom", "input 11 is still bad", 2), Patience);
        worker.Reply(new ChunkCompleted(rest.ChunkId, new long[] { 144 }, 42));
        Assert.Equal(2L, (await caller.ExpectMsgAsync<ResultsReady>(Patience)).FirstIndex);
        Assert.Equal(1, (await StatusAsync(manager)).Retries);
    }

    [Fact]
    public async Task Manager_must_drop_the_queued_chunks_of_an_ended_job()
    {
        var (manager, worker, caller) = await StartAsync(new PoolSettings { ChunksPerWorker = 2 });
        manager.Tell(new StartJob(1, Square, 3, null, caller.Ref));
        for (var i = 0; i < 5; i++) manager.Tell(new SubmitChunk(1, i, new long[] { i }));
        var running = new[] { await worker.ExpectMsgAsync<RunChunk>(Patience), await worker.ExpectMsgAsync<RunChunk>(Patience) };

        manager.Tell(new EndJob(1));
        Assert.Equal(new PoolStatus(1, 2, 2, 0, 0, 0, 0), await StatusAsync(manager));

        foreach (var run in running) worker.Reply(new ChunkCompleted(run.ChunkId, run.Inputs, 1));
        manager.Tell(new StartJob(2, Square, 3, null, caller.Ref));
        manager.Tell(new SubmitChunk(2, 0, new long[] { 99 }));
        var next = await worker.ExpectMsgAsync<RunChunk>(Patience);
        Assert.Equal(new long[] { 99 }, (long[])next.Inputs);
        worker.Reply(new ChunkCompleted(next.ChunkId, new long[] { 9801 }, 1));

        // The ended job's late results went nowhere: the caller's first message is the new job's.
        Assert.Equal(2L, (await caller.ExpectMsgAsync<ResultsReady>(Patience)).JobId);
    }

    [Fact]
    public async Task Manager_must_retry_a_chunk_that_is_late_and_ignore_its_late_result()
    {
        var (manager, worker, caller) = await StartAsync();
        manager.Tell(new StartJob(1, Square, 2, TimeSpan.FromMilliseconds(200), caller.Ref));
        manager.Tell(new SubmitChunk(1, 0, new long[] { 5 }));

        var first = await worker.ExpectMsgAsync<RunChunk>(Patience);
        var second = await worker.ExpectMsgAsync<RunChunk>(Patience);
        Assert.NotEqual(first.ChunkId, second.ChunkId);
        Assert.Equal(new long[] { 5 }, (long[])second.Inputs);
        var failure = await caller.ExpectMsgAsync<InputFailed>(Patience);
        Assert.Equal((0L, "5", typeof(TimeoutException).FullName, 2), (failure.Index, failure.Input, failure.ErrorType, failure.Attempts));

        worker.Reply(new ChunkCompleted(first.ChunkId, new long[] { 25 }, 1));
        manager.Tell(new SubmitChunk(1, 1, new long[] { 6 }));
        var third = await worker.ExpectMsgAsync<RunChunk>(Patience);
        worker.Reply(new ChunkCompleted(third.ChunkId, new long[] { 36 }, 1));
        Assert.Equal(1L, (await caller.ExpectMsgAsync<ResultsReady>(Patience)).FirstIndex);
    }

    [Fact]
    public async Task Manager_must_report_an_unknown_job_type_for_every_input_without_retrying()
    {
        var manager = Sys.ActorOf(PoolManager.Props(new PoolSettings(), new RoundRobinPool(2)), "local");
        var caller = CreateTestProbe();
        manager.Tell(new StartJob(1, "No.Such.Job, Nowhere", 3, null, caller.Ref));
        manager.Tell(new SubmitChunk(1, 0, new long[] { 1, 2 }));

        foreach (var index in new long[] { 0, 1 })
        {
            var failure = await caller.ExpectMsgAsync<InputFailed>(Patience);
            Assert.Equal((index, nameof(UnknownJobException), 1), (failure.Index, failure.ErrorType, failure.Attempts));
            Assert.Contains("No.Such.Job, Nowhere", failure.ErrorMessage);
        }
        Assert.Equal(0, (await StatusAsync(manager)).Retries);
    }

    private async Task<(IActorRef Manager, TestProbe Worker, TestProbe Caller)> StartAsync(PoolSettings? settings = null)
    {
        var manager = Sys.ActorOf(PoolManager.Props(settings ?? new PoolSettings(), new RoundRobinPool(0), _ => Props.Empty), "manager");
        var worker = CreateTestProbe("worker");
        manager.Tell(new WorkersAdded([worker.Ref]));
        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatusAsync(manager)).Routees), Patience);
        return (manager, worker, CreateTestProbe("caller"));
    }

    private static Task<PoolStatus> StatusAsync(IActorRef manager) => manager.Ask<PoolStatus>(GetPoolStatus.Instance, Patience);
}
