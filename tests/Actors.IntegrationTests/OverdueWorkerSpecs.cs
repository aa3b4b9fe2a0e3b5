using Actors.Jobs;
using Actors.Pool;

namespace Actors.IntegrationTests;

/// <summary>
/// A worker process busy past a chunk's deadline with a job deaf to cancellation is killed — the only
/// way to stop it — and replaced: the input fails with a timeout, and the pool keeps its size.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class OverdueWorkerSpecs : ProcessPoolSpec
{
    [Fact]
    public async Task A_worker_process_stuck_past_its_deadline_is_killed_and_replaced()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"actors-overdue-spec-{Guid.NewGuid():N}.pid");
        try
        {
            var outcome = Assert.Single(await Pool.MapOutcomesAsync(new PidHangingJob(), [pidFile],
                Tracked(new MapOptions { TaskTimeout = TimeSpan.FromSeconds(1), MaxAttempts = 1 })).WaitAsync(TimeSpan.FromMinutes(1)));
            var stuck = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);
            PidsSeen.TryAdd(stuck, 0);

            await AwaitAssertAsync(() => Assert.False(ProcessPool.IsRunning(stuck), $"worker process {stuck} still runs its stuck job"),
                TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
            await AwaitAssertAsync(async () =>
            {
                var status = await Pool.GetStatusAsync();
                Assert.Equal((2, 2), (status.Routees, status.Hosts));
                Assert.Null(status.Stuck);
            }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
            var squares = await Pool.MapAsync(new SquareJob(), [1L, 2, 3], Tracked());

            Assert.Equal(typeof(TimeoutException).FullName, outcome.Failure?.ErrorType);
            Assert.Equal(new long[] { 1, 4, 9 }, squares);
        }
        finally
        {
            File.Delete(pidFile);
        }
    }
}
