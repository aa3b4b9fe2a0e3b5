using Akka.Actor;
using Akka.TestKit.Xunit2;
using SharedState;
using SharedState.Semaphores;

namespace Actors.Tests.State;

/// <summary>The Semaphore(3) row: a pool of 3 workers runs at most 3 pieces of work at once.</summary>
public sealed class LimitedWorkerSpecs : TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_pool_of_three_must_never_run_more_than_three_pieces_of_work_at_once_under_twenty_requesters()
    {
        var gauge = new ConcurrencyGauge();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pool = Sys.ActorOf(LimitedWorker.Pool(3, gauge.Measure(_ => gate.Task)));

        var requests = Enumerable.Range(0, 20)
            .Select(id => Task.Run(() => pool.Ask<ILimitedWorkMessage>(new DoWork(id), Patience)))
            .ToList();

        // Every worker is busy behind the closed gate; the 17 others wait for one of them.
        await AwaitAssertAsync(() => Assert.Equal(3, gauge.Running), Patience);
        Assert.Equal(0, gauge.Finished);
        gate.SetResult();
        var replies = await Task.WhenAll(requests);

        Assert.Equal(Enumerable.Range(0, 20), replies.Cast<WorkDone>().Select(done => done.Id).Order());
        Assert.Equal(20, gauge.Finished);
        Assert.Equal(3, gauge.Peak); // never more than 3, and 3 were seen running at once
    }

    [Fact]
    public async Task A_piece_of_work_that_throws_must_be_answered_with_WorkFailed_and_the_pool_keeps_serving()
    {
        var pool = Sys.ActorOf(LimitedWorker.Pool(3, id => id == 1 ? throw new InvalidOperationException("broken") : Task.CompletedTask));

        var failed = await pool.Ask<ILimitedWorkMessage>(new DoWork(1), Patience);
        var done = await pool.Ask<ILimitedWorkMessage>(new DoWork(2), Patience);

        Assert.Equal(new WorkFailed(1, "InvalidOperationException: broken"), failed);
        Assert.Equal(new WorkDone(2), done);
    }

    [Fact]
    public async Task The_semaphore_row_must_finish_every_request_within_its_permits()
    {
        var result = await SemaphoreRow.RunAsync(Sys, SharedStateSettings.Default);

        Assert.Equal(result.Requesters, result.Done);
        Assert.InRange(result.Peak, 1, result.Permits);
    }
}
