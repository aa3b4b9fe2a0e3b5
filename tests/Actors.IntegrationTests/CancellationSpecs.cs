using Actors.Jobs;
using Actors.Pool;

namespace Actors.IntegrationTests;

/// <summary>
/// Cancelling a map over real worker processes stops its chunks there: the ones a worker was sent
/// but had not started are answered as cancelled instead of running, so the next map does not wait
/// behind them.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class CancellationSpecs : ProcessPoolSpec
{
    [Fact]
    public async Task A_cancelled_map_leaves_the_chunks_its_workers_had_queued_unrun()
    {
        var log = Path.Combine(Path.GetTempPath(), $"actors-cancel-spec-{Guid.NewGuid():N}.log");
        try
        {
            // Chunks of 50 inputs of 20 ms: each of the 2 workers runs one and holds the next.
            const int chunk = 50;
            var inputs = Enumerable.Range(0, 8 * chunk).Select(i => $"{log}|{i}").ToArray();
            using var cancel = new CancellationTokenSource();
            var map = Pool.MapAsync(new LoggedSpinJob(), inputs, Tracked(new MapOptions { ChunkSize = chunk }), cancel.Token);
            await AwaitAssertAsync(() => Assert.True(File.Exists(log) && File.ReadAllLines(log).Length >= 1, "the map has not started"),
                TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));

            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => map);
            var next = await Pool.MapAsync(new SquareJob(), [1L, 2, 3], Tracked());

            Assert.Equal(new long[] { 1, 4, 9 }, next);
            var ran = File.ReadAllLines(log);
            // A synchronous job cannot be stopped mid-chunk: the chunks running then finish, the ones held do not start.
            Assert.True(ran.Length <= 2 * chunk, $"{ran.Length} inputs ran: more than the 2 chunks running when the map was cancelled");
        }
        finally
        {
            File.Delete(log);
        }
    }
}
