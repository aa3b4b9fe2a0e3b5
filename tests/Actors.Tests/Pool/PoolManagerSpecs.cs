using Actors.Jobs;
using Actors.Pool;
using Actors.Pool.Tasks;
using Actors.Protocol;
using Akka.Actor;
using Akka.TestKit;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

/// <summary>
/// The manager, seen from all of its sides: test probes play the caller and the workers, and a
/// relay child plays its membership (only its own children may change its workers).
/// </summary>
public sealed class PoolManagerSpecs(ITestOutputHelper output) : PoolSpec("", output)
{
    private static readonly string Square = JobRunner.NameOf(typeof(SquareJob));

    [Fact]
    public async Task Manager_must_deliver_each_chunk_result_to_the_caller_once()
    {
        var (manager, membership) = Start();
        var worker = await AddWorkerAsync(manager, membership);
        var caller = CreateTestProbe("caller");
        manager.Tell(new StartJob(1, Policy(), caller.Ref));
        manager.Tell(new SubmitChunk(1, 0, new long[] { 1, 2 }));

        var first = await worker.ExpectMsgAsync<RunChunk>(Patience);
        Assert.Equal(Square, first.JobType);
        Assert.Equal(new long[] { 1, 2 }, (long[])first.Inputs.ToArray());
        worker.Reply(new ChunkCompleted(first.ChunkId, new long[] { 1, 4 }, 42));
        worker.Reply(new ChunkCompleted(first.ChunkId, new long[] { 1, 4 }, 42)); // a copy of the answer
        manager.Tell(new SubmitChunk(1, 2, new long[] { 3 }));
        var second = await worker.ExpectMsgAsync<RunChunk>(Patience);
        worker.Reply(new ChunkCompleted(second.ChunkId, new long[] { 9 }, 42));

        var results = await caller.ExpectMsgAsync<ResultsReady>(Patience);
        Assert.Equal((1L, 0L, 42), (results.JobId, results.FirstIndex, results.Pid));
        Assert.Equal(new long[] { 1, 4 }, (long[])results.Outputs!);
        Assert.Equal(2L, (await caller.ExpectMsgAsync<ResultsReady>(Patience)).FirstIndex);
    }

    [Fact]
    public async Task Manager_must_keep_at_most_chunks_per_worker_in_flight()
    {
        var (manager, membership) = Start(PoolSettings.Default with { ChunksPerWorker = 2 });
        var worker = await AddWorkerAsync(manager, membership);
        var caller = CreateTestProbe("caller");
        manager.Tell(new StartJob(1, Policy(), caller.Ref));
        for (var i = 0; i < 5; i++) manager.Tell(new SubmitChunk(1, i, new long[] { i }));

        var running = new Queue<RunChunk>([await worker.ExpectMsgAsync<RunChunk>(Patience), await worker.ExpectMsgAsync<RunChunk>(Patience)]);
        Assert.Equal(new PoolStatus(1, 2, 2, 3, 1, 0, 0), await StatusAsync(manager));

        for (var next = 2; running.Count > 0; next++)
        {
            var done = running.Dequeue();
            worker.Reply(new ChunkCompleted(done.ChunkId, done.Inputs.ToArray(), 1));
            Assert.Equal(((long[])done.Inputs.ToArray())[0], (await caller.ExpectMsgAsync<ResultsReady>(Patience)).FirstIndex);
            if (next >= 5) continue;
            var run = await worker.ExpectMsgAsync<RunChunk>(Patience);
            Assert.Equal(new long[] { next }, (long[])run.Inputs.ToArray());
            running.Enqueue(run);
            Assert.Equal(2, (await StatusAsync(manager)).InFlightChunks);
        }
        Assert.Equal(new PoolStatus(1, 0, 2, 0, 1, 0, 0, Answers: 5), await StatusAsync(manager)); // five chunks answered
    }

    [Fact]
    public async Task Manager_must_retry_a_failed_input_alone_and_send_the_rest_of_its_chunk_on()
    {
        var (manager, membership) = Start();
        var worker = await AddWorkerAsync(manager, membership);
        var caller = CreateTestProbe("caller");
        manager.Tell(new StartJob(1, Policy(maxAttempts: 2), caller.Ref));
        manager.Tell(new SubmitChunk(1, 0, new long[] { 10, 11, 12 }));

        var chunk = await worker.ExpectMsgAsync<RunChunk>(Patience);
        worker.Reply(new ChunkFailed(chunk.ChunkId, 1, new long[] { 100 }, JobError.Of("Boom", "input 11 is bad"), Retryable: true, 42));
        Assert.Equal(new long[] { 100 }, (long[])(await caller.ExpectMsgAsync<ResultsReady>(Patience)).Outputs!);

        var retry = await worker.ExpectMsgAsync<RunChunk>(Patience);
        Assert.Equal(new long[] { 11 }, (long[])retry.Inputs.ToArray());
        var rest = await worker.ExpectMsgAsync<RunChunk>(Patience);
        Assert.Equal(new long[] { 12 }, (long[])rest.Inputs.ToArray());

        worker.Reply(new ChunkFailed(retry.ChunkId, 0, Array.Empty<long>(), JobError.Of("Boom", "input 11 is still bad"), Retryable: true, 42));
        await caller.ExpectMsgAsync(new InputFailed(1, 1, "11", JobError.Of("Boom", "input 11 is still bad"), 2, Value: 11L), Patience);
        worker.Reply(new ChunkCompleted(rest.ChunkId, new long[] { 144 }, 42));
        Assert.Equal(2L, (await caller.ExpectMsgAsync<ResultsReady>(Patience)).FirstIndex);
        Assert.Equal(1, (await StatusAsync(manager)).Retries);
    }

    [Fact]
    public async Task Manager_must_drop_the_queued_chunks_of_an_ended_job()
    {
        var (manager, membership) = Start(PoolSettings.Default with { ChunksPerWorker = 2 });
        var worker = await AddWorkerAsync(manager, membership);
        var caller = CreateTestProbe("caller");
        manager.Tell(new StartJob(1, Policy(), caller.Ref));
        for (var i = 0; i < 5; i++) manager.Tell(new SubmitChunk(1, i, new long[] { i }));
        var running = new[] { await worker.ExpectMsgAsync<RunChunk>(Patience), await worker.ExpectMsgAsync<RunChunk>(Patience) };

        manager.Tell(new EndJob(1));
        // Its running chunks are cancelled; the worker still owes answers for both, so its room stays taken until it gives them.
        foreach (var run in running) Assert.Equal(run.ChunkId, (await worker.ExpectMsgAsync<CancelChunk>(Patience)).ChunkId);
        Assert.Equal(new PoolStatus(1, 0, 2, 0, 0, 0, 0), await StatusAsync(manager));

        worker.Reply(new ChunkCompleted(running[0].ChunkId, running[0].Inputs.ToArray(), 1)); // it had finished already
        worker.Reply(new ChunkFailed(running[1].ChunkId, 0, Array.Empty<long>(), JobError.Of(typeof(OperationCanceledException).FullName!, "cancelled"), Retryable: false, 1));
        manager.Tell(new StartJob(2, Policy(), caller.Ref));
        manager.Tell(new SubmitChunk(2, 0, new long[] { 99 }));
        var next = await worker.ExpectMsgAsync<RunChunk>(Patience);
        Assert.Equal(new long[] { 99 }, (long[])next.Inputs.ToArray());
        worker.Reply(new ChunkCompleted(next.ChunkId, new long[] { 9801 }, 1));

        // The ended job's late results went nowhere: the caller's first message is the new job's.
        Assert.Equal(2L, (await caller.ExpectMsgAsync<ResultsReady>(Patience)).JobId);
    }

    [Fact]
    public async Task Manager_must_retry_a_chunk_that_is_late_and_ignore_its_late_result()
    {
        var (manager, membership) = Start();
        var worker = await AddWorkerAsync(manager, membership);
        var caller = CreateTestProbe("caller");
        manager.Tell(new StartJob(1, Policy(maxAttempts: 2, timeout: TimeSpan.FromMilliseconds(200)), caller.Ref));
        manager.Tell(new SubmitChunk(1, 0, new long[] { 5 }));

        var first = await worker.ExpectMsgAsync<RunChunk>(Patience);
        var cancelFirst = await worker.ExpectMsgAsync<CancelChunk>(Patience); // past its deadline: told to stop
        var second = await worker.ExpectMsgAsync<RunChunk>(Patience);
        Assert.NotEqual(first.ChunkId, second.ChunkId);
        Assert.Equal(first.ChunkId, cancelFirst.ChunkId);
        Assert.Equal(new long[] { 5 }, (long[])second.Inputs.ToArray());
        var failure = await caller.ExpectMsgAsync<InputFailed>(Patience);
        Assert.Equal(second.ChunkId, (await worker.ExpectMsgAsync<CancelChunk>(Patience)).ChunkId);
        Assert.Equal((0L, "5", typeof(TimeoutException).FullName, 2), (failure.Index, failure.Input, failure.Error.Type, failure.Attempts));

        worker.Reply(new ChunkCompleted(first.ChunkId, new long[] { 25 }, 1));
        worker.Reply(new ChunkCompleted(second.ChunkId, new long[] { 25 }, 1));
        manager.Tell(new SubmitChunk(1, 1, new long[] { 6 }));
        var third = await worker.ExpectMsgAsync<RunChunk>(Patience);
        worker.Reply(new ChunkCompleted(third.ChunkId, new long[] { 36 }, 1));
        Assert.Equal(1L, (await caller.ExpectMsgAsync<ResultsReady>(Patience)).FirstIndex);
    }

    [Fact]
    public async Task Manager_must_charge_the_running_chunk_of_a_lost_worker_and_requeue_the_rest_on_another()
    {
        var (manager, membership) = Start(PoolSettings.Default with { ChunksPerWorker = 2 });
        var lost = await AddWorkerAsync(manager, membership, "lost");
        var caller = CreateTestProbe("caller");
        manager.Tell(new StartJob(1, Policy(maxAttempts: 2), caller.Ref));
        manager.Tell(new SubmitChunk(1, 0, new long[] { 7 }));
        manager.Tell(new SubmitChunk(1, 1, new long[] { 8 }));
        var running = await lost.ExpectMsgAsync<RunChunk>(Patience);
        var waiting = await lost.ExpectMsgAsync<RunChunk>(Patience);

        membership.Tell(new WorkersLost([lost.Ref], "worker process 1 exited with code 137", []));
        await AwaitAssertAsync(async () => Assert.Equal(0, (await StatusAsync(manager)).Routees), Patience);
        var survivor = await AddWorkerAsync(manager, membership, "survivor");

        var retried = await survivor.ExpectMsgAsync<RunChunk>(Patience); // charged a try: alone, under a new id
        Assert.Equal(new long[] { 7 }, (long[])retried.Inputs.ToArray());
        Assert.NotEqual(running.ChunkId, retried.ChunkId);
        var requeued = await survivor.ExpectMsgAsync<RunChunk>(Patience); // had not started: the same chunk again
        Assert.Equal(waiting.ChunkId, requeued.ChunkId);
        lost.Reply(new ChunkCompleted(running.ChunkId, new long[] { 49 }, 1)); // a late answer from the lost worker is ignored
        survivor.Reply(new ChunkCompleted(retried.ChunkId, new long[] { 49 }, 2));
        survivor.Reply(new ChunkCompleted(requeued.ChunkId, new long[] { 64 }, 2));

        var outcomes = new[] { await caller.ExpectMsgAsync<ResultsReady>(Patience), await caller.ExpectMsgAsync<ResultsReady>(Patience) };
        Assert.Equal([0L, 1L], outcomes.Select(o => o.FirstIndex).Order());
        Assert.All(outcomes, o => Assert.Equal(2, o.Pid));
        await caller.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Manager_must_ignore_workers_and_results_from_strangers()
    {
        var (manager, membership) = Start();
        var worker = await AddWorkerAsync(manager, membership);
        var stranger = CreateTestProbe("stranger");
        var caller = CreateTestProbe("caller");

        await EventFilter.Warning(contains: "only the pool's own membership").ExpectAsync(1, Patience, () =>
        {
            manager.Tell(new WorkersAdded([stranger.Ref]), stranger.Ref);
            return Task.CompletedTask;
        });
        Assert.Equal(1, (await StatusAsync(manager)).Routees);

        manager.Tell(new StartJob(1, Policy(), caller.Ref));
        manager.Tell(new SubmitChunk(1, 0, new long[] { 3 }));
        var run = await worker.ExpectMsgAsync<RunChunk>(Patience);
        manager.Tell(new ChunkCompleted(run.ChunkId, new long[] { 0 }, 666), stranger.Ref); // a forged answer
        await caller.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        worker.Reply(new ChunkCompleted(run.ChunkId, new long[] { 9 }, 1));
        Assert.Equal(new long[] { 9 }, (long[])(await caller.ExpectMsgAsync<ResultsReady>(Patience)).Outputs!);
    }

    [Fact]
    public async Task Manager_must_fail_every_input_at_once_while_no_workers_are_left_and_serve_again_when_they_return()
    {
        var (manager, membership) = Start();
        var worker = await AddWorkerAsync(manager, membership);
        var caller = CreateTestProbe("caller");
        manager.Tell(new StartJob(1, Policy(), caller.Ref));

        membership.Tell(new WorkersLost([worker.Ref], "worker process 1 exited with code 1", []));
        membership.Tell(new NoWorkersLeft("the worker host cannot start"));
        await AwaitAssertAsync(async () => Assert.Equal("the worker host cannot start", (await StatusAsync(manager)).Unavailable), Patience);
        manager.Tell(new SubmitChunk(1, 0, new long[] { 4 }));
        var failure = await caller.ExpectMsgAsync<InputFailed>(Patience);
        Assert.Equal((0L, nameof(NoWorkersLeft), "the worker host cannot start"), (failure.Index, failure.Error.Type, failure.Error.Message));

        var back = await AddWorkerAsync(manager, membership, "back");
        Assert.Null((await StatusAsync(manager)).Unavailable);
        manager.Tell(new SubmitChunk(1, 1, new long[] { 5 }));
        var run = await back.ExpectMsgAsync<RunChunk>(Patience);
        back.Reply(new ChunkCompleted(run.ChunkId, new long[] { 25 }, 1));
        Assert.Equal(1L, (await caller.ExpectMsgAsync<ResultsReady>(Patience)).FirstIndex);
    }

    [Fact]
    public async Task Manager_must_probe_a_silent_worker_and_run_again_what_it_never_answered()
    {
        var (manager, membership) = Start(PoolSettings.Default with { ProbeAfter = TimeSpan.FromMilliseconds(200), TickInterval = TimeSpan.FromMilliseconds(50) });
        var worker = await AddWorkerAsync(manager, membership);
        var caller = CreateTestProbe("caller");
        manager.Tell(new StartJob(1, Policy(), caller.Ref));
        manager.Tell(new SubmitChunk(1, 0, new long[] { 6 }));

        var lost = await worker.ExpectMsgAsync<RunChunk>(Patience); // its answer never comes
        var probe = await worker.ExpectMsgAsync<Probe>(Patience);
        worker.Reply(new Probed(probe.Id)); // answered after everything sent before it: the chunk's answer was lost

        var again = await worker.ExpectMsgAsync<RunChunk>(Patience);
        Assert.Equal(new long[] { 6 }, (long[])again.Inputs.ToArray());
        Assert.NotEqual(lost.ChunkId, again.ChunkId); // charged a try: a new chunk
        worker.Reply(new ChunkCompleted(again.ChunkId, new long[] { 36 }, 1));
        Assert.Equal(new long[] { 36 }, (long[])(await caller.ExpectMsgAsync<ResultsReady>(Patience)).Outputs!);
        Assert.Equal(1, (await StatusAsync(manager)).Retries);
    }

    [Fact]
    public async Task Manager_must_report_an_input_whose_failure_cannot_be_retried_without_retrying_it()
    {
        var (manager, membership) = Start();
        var worker = await AddWorkerAsync(manager, membership);
        var caller = CreateTestProbe("caller");
        manager.Tell(new StartJob(1, Policy(), caller.Ref));
        manager.Tell(new SubmitChunk(1, 0, new long[] { 1, 2 }));

        var run = await worker.ExpectMsgAsync<RunChunk>(Patience);
        worker.Reply(new ChunkFailed(run.ChunkId, 0, Array.Empty<long>(), JobError.Of(nameof(UnknownJobException), "no such job"), Retryable: false, 1));

        var failure = await caller.ExpectMsgAsync<InputFailed>(Patience);
        Assert.Equal((0L, nameof(UnknownJobException), 1), (failure.Index, failure.Error.Type, failure.Attempts));
        var rest = await worker.ExpectMsgAsync<RunChunk>(Patience); // the input after it is sent on, uncharged
        Assert.Equal(new long[] { 2 }, (long[])rest.Inputs.ToArray());
        Assert.Equal(0, (await StatusAsync(manager)).Retries);
    }

    private static JobPolicy Policy(int maxAttempts = 3, TimeSpan? timeout = null) => new(Square, maxAttempts, timeout, RetryJobExceptions: true);

    /// <summary>A manager, and its one membership child: a relay that tells the manager what a spec tells it.</summary>
    private (IActorRef Manager, IActorRef Membership) Start(PoolSettings? settings = null)
    {
        var membership = CreateTestProbe("membership");
        var relay = Props.Create(() => new MembershipRelay(membership.Ref));
        var manager = Sys.ActorOf(PoolManager.Props(settings ?? PoolSettings.Default, WorkerChoice.RoundRobin, [relay]), "manager");
        return (manager, membership.ExpectMsg<IActorRef>(Patience));
    }

    private async Task<TestProbe> AddWorkerAsync(IActorRef manager, IActorRef membership, string name = "worker")
    {
        var worker = CreateTestProbe(name);
        var before = (await StatusAsync(manager)).Routees;
        membership.Tell(new WorkersAdded([worker.Ref]));
        await AwaitAssertAsync(async () => Assert.Equal(before + 1, (await StatusAsync(manager)).Routees), Patience);
        return worker;
    }

    private static Task<PoolStatus> StatusAsync(IActorRef manager) => manager.Ask<PoolStatus>(GetPoolStatus.Instance, Patience);

    /// <summary>Tells its parent, the manager, whatever a spec tells it; hands what the manager tells it to the probe.</summary>
    private sealed class MembershipRelay : ReceiveActor
    {
        private readonly IActorRef _probe;

        public MembershipRelay(IActorRef probe)
        {
            _probe = probe;
            ReceiveAny(message =>
            {
                if (Sender.Equals(Context.Parent)) probe.Forward(message);
                else Context.Parent.Tell(message);
            });
        }

        protected override void PreStart()
        {
            Context.Parent.Tell(new WorkersAdded([])); // a membership's first word: none yet
            _probe.Tell(Self);
        }
    }
}
