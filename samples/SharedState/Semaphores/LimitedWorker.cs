using Akka.Actor;
using Akka.Routing;

namespace SharedState.Semaphores;

/// <summary>
/// <c>threading.Semaphore(3)</c> → a pool of 3 of these workers. Each worker runs one piece of work
/// at a time (its mailbox waits while the work's task runs), so a pool of N never runs more than N
/// at once, whoever and however many ask. Callers do not take a permit and run the work
/// themselves; they send the work to the pool and await the reply.
/// </summary>
public sealed class LimitedWorker : ReceiveActor
{
    public LimitedWorker(Func<int, Task> work)
    {
        ReceiveAsync<DoWork>(async request =>
        {
            var caller = Sender;
            try
            {
                await work(request.Id);
                caller.Tell(new WorkDone(request.Id));
            }
            catch (Exception e)
            {
                // Replied, not thrown: a restart would not help the caller, who is waiting for an answer.
                caller.Tell(new WorkFailed(request.Id, $"{e.GetType().Name}: {e.Message}"));
            }
        });
    }

    /// <summary>
    /// Props of a pool of <paramref name="permits"/> workers running <paramref name="work"/>. The
    /// smallest-mailbox router gives each request to an idle worker when there is one, which comes
    /// closest to a semaphore's "the next free permit".
    /// </summary>
    public static Props Pool(int permits, Func<int, Task> work)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        ArgumentNullException.ThrowIfNull(work);
        return Props.Create(() => new LimitedWorker(work)).WithRouter(new SmallestMailboxPool(permits));
    }
}
