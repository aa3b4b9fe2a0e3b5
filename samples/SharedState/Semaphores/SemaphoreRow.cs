using Akka.Actor;

namespace SharedState.Semaphores;

/// <summary>What the Semaphore row measured.</summary>
/// <param name="Permits">Workers in the pool.</param>
/// <param name="Requesters">Callers that asked at the same time.</param>
/// <param name="Done">Pieces of work answered with <see cref="WorkDone"/>.</param>
/// <param name="Peak">Most pieces of work seen running at once.</param>
public sealed record SemaphoreRowResult(int Permits, int Requesters, int Done, int Peak)
{
    public IEnumerable<string> Describe()
    {
        yield return $"pool of {Permits} workers, {Requesters} concurrent requesters: {Done} of {Requesters} pieces of work done, at most {Peak} at once (limit {Permits})";
    }
}

/// <summary><c>threading.Semaphore(3)</c> → a pool of 3 workers, asked by many callers at once.</summary>
public static class SemaphoreRow
{
    public static async Task<SemaphoreRowResult> RunAsync(ActorSystem system, SharedStateSettings settings, CancellationToken ct = default)
    {
        var gauge = new ConcurrencyGauge();
        var pool = system.ActorOf(LimitedWorker.Pool(settings.Permits, gauge.Measure(_ => Task.Delay(settings.WorkTime, ct))));
        try
        {
            var requests = Enumerable.Range(0, settings.Requesters)
                .Select(id => Task.Run(() => pool.Ask<ILimitedWorkMessage>(new DoWork(id), settings.AskTimeout, ct), ct));
            var replies = await Task.WhenAll(requests);
            return new SemaphoreRowResult(settings.Permits, settings.Requesters, replies.OfType<WorkDone>().Count(), gauge.Peak);
        }
        finally
        {
            system.Stop(pool);
        }
    }
}
