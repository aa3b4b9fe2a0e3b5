using Actors.Coordination;
using Akka.Actor;

namespace SharedState.Barriers;

/// <summary>What the Barrier row observed.</summary>
/// <param name="Parties">Parties the barrier waits for.</param>
/// <param name="PassedBeforeLast">Parties answered before the last one arrived (a barrier lets none through early).</param>
/// <param name="Passed">Every party's reply, in arrival order.</param>
/// <param name="SecondGeneration">The generation every party saw at the second meeting.</param>
public sealed record BarrierRowResult(int Parties, int PassedBeforeLast, IReadOnlyList<BarrierPassed> Passed, long SecondGeneration)
{
    public IEnumerable<string> Describe()
    {
        yield return $"barrier of {Parties}: {Parties - 1} parties arrived and waited ({PassedBeforeLast} let through early); the last arrival released all {Passed.Count} together in generation {Passed[0].Generation}";
        yield return $"the same parties met again: generation {SecondGeneration} (the barrier resets itself)";
    }
}

/// <summary><c>threading.Barrier(3)</c> → a barrier actor: three parties proceed together, twice.</summary>
public static class BarrierRow
{
    public const int Parties = 3;

    public static async Task<BarrierRowResult> RunAsync(ActorSystem system, SharedStateSettings settings, CancellationToken ct = default)
    {
        var barrier = system.ActorOf(BarrierActor.Props(Parties));
        try
        {
            Task<BarrierPassed> Arrive() => barrier.Ask<BarrierPassed>(ArriveAtBarrier.Instance, settings.AskTimeout, ct);

            var early = Enumerable.Range(0, Parties - 1).Select(_ => Arrive()).ToList();
            // The early arrivals are in the barrier's mailbox before this query: its answer shows them waiting.
            await barrier.Ask<BarrierState>(GetBarrierState.Instance, settings.AskTimeout, ct);
            var passedEarly = early.Count(arrival => arrival.IsCompleted);
            var passed = await Task.WhenAll([.. early, Arrive()]);

            var again = await Task.WhenAll(Enumerable.Range(0, Parties).Select(_ => Arrive()));
            return new BarrierRowResult(Parties, passedEarly, passed, again.Select(p => p.Generation).Distinct().Single());
        }
        finally
        {
            system.Stop(barrier);
        }
    }
}
