using Actors.Pool.Tasks;

namespace Actors.Tests.Pool.Tasks;

/// <summary>
/// The task table's suspended workers (a cluster member that is unreachable): they get no new
/// chunk, keep what they hold and still count their answers until their fate is known.
/// </summary>
public sealed class TaskTableSuspensionSpecs
{
    private static readonly TimeSpan Now = TimeSpan.FromSeconds(1);
    private readonly TaskTable<string> _table = new(chunksPerWorker: 2, WorkerChoice.RoundRobin, probeAfter: TimeSpan.FromSeconds(5)) { CheckInvariants = true };

    public TaskTableSuspensionSpecs() => _table.StartJob(1, new JobPolicy("square", MaxAttempts: 2, TaskTimeout: null, RetryJobExceptions: true));

    [Fact]
    public void A_suspended_worker_is_sent_no_new_chunk_and_keeps_what_it_holds()
    {
        _table.AddWorkers(["a", "b"], Now);
        var first = Sends(_table.Submit(1, 0, new long[] { 0 }, Now));
        Assert.Equal(["a"], first.Select(send => send.Worker));

        Assert.Empty(_table.SuspendWorkers(["a"], Now));
        var later = Sends(_table.Submit(1, 1, new long[] { 1 }, Now).Concat(_table.Submit(1, 2, new long[] { 2 }, Now)));

        Assert.Equal(["b", "b"], later.Select(send => send.Worker));
        Assert.Equal(new TableCounts(Workers: 1, InFlight: 3, MaxInFlight: 2, Queued: 0, Jobs: 1, Retries: 0), _table.Counts);
    }

    [Fact]
    public void An_answer_from_a_suspended_worker_still_counts()
    {
        _table.AddWorkers(["a"], Now);
        var sent = Sends(_table.Submit(1, 0, new long[] { 3 }, Now)).Single();
        _table.SuspendWorkers(["a"], Now);

        var decisions = _table.Completed("a", sent.ChunkId, new long[] { 9 }, pid: 7, Now);

        var results = Assert.IsType<DeliverResults>(Assert.Single(decisions));
        Assert.Equal(new long[] { 9 }, (long[])results.Outputs!);
    }

    [Fact]
    public void A_suspended_worker_that_is_lost_charges_its_running_chunk_and_requeues_the_rest_uncharged()
    {
        _table.AddWorkers(["a"], Now);
        var sent = Sends(_table.Submit(1, 0, new long[] { 0 }, Now).Concat(_table.Submit(1, 1, new long[] { 1 }, Now))).ToArray();
        _table.SuspendWorkers(["a"], Now);
        _table.AddWorkers(["b"], Now);

        var resent = Sends(_table.LoseWorkers(["a"], "member a was downed", [], Now)).ToArray();

        Assert.Equal(["b", "b"], resent.Select(send => send.Worker));
        Assert.Equal(sent[1].ChunkId, resent.Single(send => ((long[])send.Inputs.ToArray())[0] == 1).ChunkId); // requeued under its id: uncharged
        Assert.NotEqual(sent[0].ChunkId, resent.Single(send => ((long[])send.Inputs.ToArray())[0] == 0).ChunkId); // charged: a new chunk with one more try
    }

    [Fact]
    public void A_suspended_worker_that_retires_requeues_everything_uncharged()
    {
        _table.AddWorkers(["a"], Now);
        var sent = Sends(_table.Submit(1, 0, new long[] { 0, 1 }, Now)).Single();
        _table.SuspendWorkers(["a"], Now);
        _table.AddWorkers(["b"], Now);

        var resent = Sends(_table.RetireWorkers(["a"], Now)).Single();

        Assert.Equal(("b", sent.ChunkId), (resent.Worker, resent.ChunkId));
    }

    [Fact]
    public void A_suspended_worker_added_again_takes_chunks()
    {
        _table.AddWorkers(["a"], Now);
        _table.SuspendWorkers(["a"], Now);
        Assert.Empty(Sends(_table.Submit(1, 0, new long[] { 0 }, Now)));
        Assert.Equal(0, _table.Counts.Workers);

        var resumed = Sends(_table.AddWorkers(["a"], Now));

        Assert.Equal(["a"], resumed.Select(send => send.Worker));
        Assert.Equal(1, _table.Counts.Workers);
    }

    private static IEnumerable<SendChunk<string>> Sends(IEnumerable<TableDecision> decisions) => decisions.OfType<SendChunk<string>>().ToArray();
}
