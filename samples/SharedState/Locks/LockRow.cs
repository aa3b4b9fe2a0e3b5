using System.Globalization;
using Akka.Actor;
using SharedState.Counter;

namespace SharedState.Locks;

/// <summary>What the Lock row measured.</summary>
/// <param name="Expected">Producers × increments.</param>
/// <param name="Actor">The actor-owned counter's reply after every producer finished.</param>
/// <param name="Unguarded">The unguarded shared int after the same work.</param>
public sealed record LockRowResult(long Expected, CountIs Actor, long Unguarded)
{
    /// <summary>Updates the unguarded int lost (0 is possible: the race need not strike).</summary>
    public long Lost => Expected - Unguarded;

    public IEnumerable<string> Describe()
    {
        yield return Invariant($"actor-owned counter: {Actor.Slots.Count} producers x {Expected / Actor.Slots.Count:N0} increments = {Actor.Total:N0} (expected {Expected:N0}), per producer [{string.Join(", ", Actor.Slots.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))}]");
        yield return Invariant($"unguarded shared int:  {Unguarded:N0} of {Expected:N0}, lost {Lost:N0} updates");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// <c>threading.Lock</c> → an actor owns the state. Producer threads only <c>Tell</c> the counter
/// <see cref="Increment"/>; when they are done, one <see cref="GetCount"/> reads the exact total.
/// Beside it, the same work on an unguarded shared int.
/// </summary>
public static class LockRow
{
    public static async Task<LockRowResult> RunAsync(ActorSystem system, SharedStateSettings settings, CancellationToken ct = default)
    {
        var (producers, increments) = (settings.LockProducers, settings.LockIncrements);
        var counter = system.ActorOf(CounterActor.Props(producers));
        try
        {
            var sending = Enumerable.Range(0, producers).Select(p => Task.Run(() =>
            {
                var increment = new Increment(p);
                for (var i = 0; i < increments; i++) counter.Tell(increment);
            }, ct));
            await Task.WhenAll(sending);
            // Every Tell above is already in the counter's mailbox, so this reply counts them all.
            var count = await counter.Ask<CountIs>(GetCount.Instance, settings.AskTimeout, ct);

            var unguarded = UnguardedCounter.Run(producers, increments);
            return new LockRowResult((long)producers * increments, count, unguarded);
        }
        finally
        {
            system.Stop(counter);
        }
    }
}
