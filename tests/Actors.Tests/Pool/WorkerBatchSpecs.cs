using Actors.Jobs;
using Actors.Protocol;
using Actors.Workers;
using Akka.Actor;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

/// <summary>
/// A worker given several chunks in one message: it runs them in order and answers each once, the
/// answers of a batch's short chunks together; a job that throws mid-batch restarts it, and the
/// rest of the batch still runs, before anything sent after it.
/// </summary>
public sealed class WorkerBatchSpecs(ITestOutputHelper output) : PoolSpec("actors.pool.answer-hold = 10s", output)
{
    private static readonly string Square = JobRunner.NameOf(typeof(SquareJob));
    private static readonly string Fail = JobRunner.NameOf(typeof(FailJob));

    [Fact]
    public async Task Worker_must_run_a_batch_in_order_and_send_its_answers_together()
    {
        var worker = Sys.ActorOf(Worker.Props());
        var manager = CreateTestProbe();

        worker.Tell(new RunChunks(Enumerable.Range(1, 50).Select(id => new RunChunk(id, Square, new long[] { id })).ToArray()), manager);

        var answers = await manager.ExpectMsgAsync<ChunkAnswers>(Patience);
        Assert.Equal(Enumerable.Range(1, 50).Select(id => (long)id), answers.Answers.Select(a => a.ChunkId));
        Assert.All(answers.Answers, answer =>
        {
            var done = Assert.IsType<ChunkCompleted>(answer);
            Assert.Equal(done.ChunkId * done.ChunkId, ((long[])done.Outputs!)[0]);
            Assert.True(done.RunTime > TimeSpan.Zero, "the worker measures how long each chunk took");
        });
        await manager.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Worker_must_send_held_answers_before_it_waits_on_an_async_job()
    {
        var worker = Sys.ActorOf(Worker.Props());
        var manager = CreateTestProbe();
        var sleep = JobRunner.NameOf(typeof(SleepJob));

        // The sleep is long next to the hold's clock check; its answer must not hold back the square's.
        worker.Tell(new RunChunks([new RunChunk(1, Square, new long[] { 3 }), new RunChunk(2, sleep, new long[] { 300 })]), manager);

        Assert.Equal(1, (await manager.ExpectMsgAsync<ChunkCompleted>(Patience)).ChunkId);
        Assert.Equal(2, (await manager.ExpectMsgAsync<ChunkCompleted>(Patience)).ChunkId);
    }

    [Fact]
    public async Task Worker_must_answer_the_rest_of_a_batch_after_a_job_throws_before_anything_sent_after_it()
    {
        var worker = Sys.ActorOf(Worker.Props());
        var manager = CreateTestProbe();

        await EventFilter.Warning(contains: "restarting").ExpectAsync(1, Patience, async () =>
        {
            worker.Tell(new RunChunks(
            [
                new RunChunk(1, Fail, new long[] { 1 }), new RunChunk(2, Fail, new long[] { 2, -3, 4 }),
                new RunChunk(3, Fail, new long[] { 5 }), new RunChunk(4, Fail, new long[] { 6 }),
            ]), manager);
            worker.Tell(new RunChunk(5, Fail, new long[] { 7 }), manager);

            var failedBatch = await manager.ExpectMsgAsync<ChunkAnswers>(Patience);
            Assert.Equal([1L, 2], failedBatch.Answers.Select(a => a.ChunkId));
            var failed = Assert.IsType<ChunkFailed>(failedBatch.Answers[1]);
            Assert.Equal(1, failed.FailedOffset);
            Assert.Equal(new long[] { 2 }, (long[])failed.CompletedOutputs!);
        });

        // The rest of the batch, then the chunk sent after it (answered at once, with any answers still held).
        Assert.Equal([3L, 4, 5], (await AnswersAsync(manager, 3)).Select(a => a.ChunkId));
    }

    [Fact]
    public async Task Worker_must_gather_the_answers_of_batches_waiting_in_its_mailbox_and_answer_a_lone_chunk_at_once()
    {
        var worker = Sys.ActorOf(Worker.Props());
        var manager = CreateTestProbe();

        // Three batches queue up behind a first one: their answers may travel in fewer messages than batches.
        for (var batch = 0; batch < 4; batch++)
            worker.Tell(new RunChunks(Enumerable.Range(1 + 10 * batch, 10).Select(id => new RunChunk(id, Square, new long[] { id })).ToArray()), manager);
        Assert.Equal(Enumerable.Range(1, 40).Select(id => (long)id), (await AnswersAsync(manager, 40)).Select(a => a.ChunkId));

        worker.Tell(new RunChunk(99, Square, new long[] { 9 }), manager);
        Assert.Equal(81, ((long[])(await manager.ExpectMsgAsync<ChunkCompleted>(Patience)).Outputs!)[0]);
    }

    [Fact]
    public async Task Worker_must_answer_a_probe_after_every_answer_of_a_batch_sent_before_it()
    {
        var worker = Sys.ActorOf(Worker.Props());
        var manager = CreateTestProbe();

        worker.Tell(new RunChunks([new RunChunk(1, Square, new long[] { 1 }), new RunChunk(2, Square, new long[] { 2 })]), manager);
        worker.Tell(new Probe(7), manager);

        Assert.Equal([1L, 2], (await manager.ExpectMsgAsync<ChunkAnswers>(Patience)).Answers.Select(a => a.ChunkId));
        Assert.Equal(7, (await manager.ExpectMsgAsync<Probed>(Patience)).Id);
    }

    [Fact]
    public async Task Worker_sent_a_kill_mid_batch_must_be_resumed_and_answer_every_chunk_of_it()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new WorkerSupervisor()));
        supervisor.Tell(WorkerSupervisor.Create);
        var worker = await ExpectMsgAsync<IActorRef>(Patience);
        var manager = CreateTestProbe();
        var sleep = JobRunner.NameOf(typeof(SleepJob));
        Watch(worker);

        // Untrusted mode lets a peer's Kill through; a restart would drop the running and queued chunks.
        worker.Tell(new RunChunks([new RunChunk(1, sleep, new long[] { 300 }), new RunChunk(2, Square, new long[] { 4 })]), manager);
        worker.Tell(Kill.Instance);

        Assert.Equal([1L, 2], (await AnswersAsync(manager, 2)).Select(a => Assert.IsType<ChunkCompleted>(a).ChunkId));
        worker.Tell(new RunChunk(3, Square, new long[] { 5 }), manager);
        Assert.Equal(25, ((long[])(await manager.ExpectMsgAsync<ChunkCompleted>(Patience)).Outputs!)[0]);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200)); // no Terminated
    }

    /// <summary>A worker's parent, as every membership is: it supervises with <see cref="Worker.Strategy"/>.</summary>
    private sealed class WorkerSupervisor : ReceiveActor
    {
        public const string Create = "create";

        public WorkerSupervisor() => Receive<string>(_ => Sender.Tell(Context.ActorOf(Worker.Props())));

        protected override SupervisorStrategy SupervisorStrategy() => Worker.Strategy();
    }

    /// <summary>The next <paramref name="count"/> answers, whether they came one by one or gathered.</summary>
    private static async Task<List<IChunkAnswer>> AnswersAsync(Akka.TestKit.TestProbe manager, int count)
    {
        var answers = new List<IChunkAnswer>();
        while (answers.Count < count)
        {
            var message = await manager.ExpectMsgAsync<IWorkerMessage>(Patience);
            if (message is ChunkAnswers gathered) answers.AddRange(gathered.Answers);
            else answers.Add(Assert.IsAssignableFrom<IChunkAnswer>(message));
        }
        Assert.Equal(count, answers.Count);
        return answers;
    }
}
