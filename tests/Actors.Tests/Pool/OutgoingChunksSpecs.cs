using Actors.Pool;
using Actors.Protocol;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

/// <summary>How the manager gathers the chunks one command sends to each remote worker into few messages, in order.</summary>
public sealed class OutgoingChunksSpecs(ITestOutputHelper output) : PoolSpec("", output)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Chunks_for_one_worker_must_go_in_one_batch_in_the_order_given_a_lone_chunk_too()
    {
        var (w1, w2) = (CreateTestProbe(), CreateTestProbe());
        var outgoing = new OutgoingChunks(TestActor, batchBytes: 1_000);

        outgoing.Add(w1, Run(1), 13);
        outgoing.Add(w2, Run(2), 13);
        outgoing.Add(w1, Run(3), 13);
        outgoing.Add(w1, Run(4), 13);
        await w1.ExpectNoMsgAsync(Quiet); // nothing leaves before the command is done
        outgoing.FlushAll();

        var batch = await w1.ExpectMsgAsync<RunChunks>();
        Assert.Equal([1L, 3, 4], batch.Chunks.Select(c => c.ChunkId));
        Assert.Equal(TestActor, w1.LastSender);
        // A batch of one: its worker may still gather the answer with those of the chunks behind it.
        Assert.Equal([2L], (await w2.ExpectMsgAsync<RunChunks>()).Chunks.Select(c => c.ChunkId));
        await w1.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task A_batch_must_hold_no_more_payload_than_its_budget()
    {
        var worker = CreateTestProbe();
        var outgoing = new OutgoingChunks(TestActor, batchBytes: 100);

        for (var id = 1; id <= 7; id++) outgoing.Add(worker, Run(id), 40);
        outgoing.FlushAll();

        Assert.Equal([1L, 2], (await worker.ExpectMsgAsync<RunChunks>()).Chunks.Select(c => c.ChunkId));
        Assert.Equal([3L, 4], (await worker.ExpectMsgAsync<RunChunks>()).Chunks.Select(c => c.ChunkId));
        Assert.Equal([5L, 6], (await worker.ExpectMsgAsync<RunChunks>()).Chunks.Select(c => c.ChunkId));
        Assert.Equal([7L], (await worker.ExpectMsgAsync<RunChunks>()).Chunks.Select(c => c.ChunkId));
    }

    [Fact]
    public async Task What_is_pending_for_a_worker_must_go_before_anything_else_sent_to_it()
    {
        var worker = CreateTestProbe();
        var outgoing = new OutgoingChunks(TestActor, batchBytes: 1_000);
        outgoing.Add(worker, Run(1), 13);
        outgoing.Add(worker, Run(2), 13);

        // A probe is answered once everything sent before it is: the chunks must be ahead of it.
        outgoing.Flush(worker);
        worker.Ref.Tell(new Probe(9), TestActor);
        outgoing.Add(worker, Run(3), 13);
        outgoing.FlushAll();

        Assert.Equal([1L, 2], (await worker.ExpectMsgAsync<RunChunks>()).Chunks.Select(c => c.ChunkId));
        await worker.ExpectMsgAsync<Probe>();
        Assert.Equal([3L], (await worker.ExpectMsgAsync<RunChunks>()).Chunks.Select(c => c.ChunkId));
    }

    private static RunChunk Run(long id) => new(id, "job", new long[] { id });
}
