using Actors.Buffer;
using Akka.Actor;

namespace SharedState.Queues;

/// <summary>What the Queue row moved.</summary>
/// <param name="Capacity">The buffer's bound.</param>
/// <param name="Producers">Producers that put at the same time.</param>
/// <param name="Count">Items the consumer took.</param>
/// <param name="Sum">Their sum.</param>
/// <param name="ExpectedCount">Items put.</param>
/// <param name="ExpectedSum">Sum of the items put.</param>
public sealed record QueueRowResult(int Capacity, int Producers, long Count, long Sum, long ExpectedCount, long ExpectedSum)
{
    public IEnumerable<string> Describe()
    {
        yield return $"bounded buffer of {Capacity}: {Producers} producers put {ExpectedCount:N0} numbers; the consumer took {Count:N0} (sum {Sum:N0}, expected {ExpectedSum:N0}), then Completed";
    }
}

/// <summary>
/// <c>queue.Queue</c>/<c>multiprocessing.Queue</c> → the bounded buffer actor
/// (<c>src/Actors/Buffer</c>): producers wait while it is full, the consumer while it is empty,
/// and it completes when every producer is done. Code that is not an actor uses its typed face,
/// <see cref="BoundedBuffer{T}"/>, item by item as with <c>queue.put</c>/<c>queue.get</c>; the face
/// moves the items in batches underneath.
/// </summary>
public static class QueueRow
{
    public static async Task<QueueRowResult> RunAsync(ActorSystem system, SharedStateSettings settings, CancellationToken ct = default)
    {
        var (producers, items) = (settings.QueueProducers, settings.QueueItems);
        // Puts and takes wait as long as they must; the row as a whole is bounded.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(settings.AskTimeout);
        ct = deadline.Token;
        var buffer = BoundedBuffer<long>.Create(system, BufferSettings.Default with { Capacity = settings.QueueCapacity }, producers);
        try
        {
            var putting = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
            {
                for (var i = 0; i < items; i++)
                {
                    await buffer.PutAsync(i, ct);
                }
                buffer.ProducerDone();
            }, ct)).ToList();

            long count = 0, sum = 0;
            await foreach (var item in buffer.Reader.ReadAllAsync(ct))
            {
                count++;
                sum += item;
            }
            await Task.WhenAll(putting);
            var expectedCount = (long)producers * items;
            return new QueueRowResult(settings.QueueCapacity, producers, count, sum, expectedCount, producers * ((long)items * (items - 1) / 2));
        }
        finally
        {
            system.Stop(buffer.Ref);
        }
    }
}
