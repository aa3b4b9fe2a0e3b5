using System.Globalization;
using SharedState.Counter;

namespace SharedState.Processes;

/// <summary>What the cross-process row measured.</summary>
/// <param name="Count">The owner's counter after both clients finished.</param>
/// <param name="Expected">Clients × increments.</param>
/// <param name="ClientPids">The client processes (none is the owner).</param>
/// <param name="OwnerPid">The owning process.</param>
/// <param name="Seconds">From the start barrier to the last client's confirmed increments.</param>
/// <param name="OwnerAddress">Where the clients reached the owner.</param>
public sealed record ProcessesRowResult(CountIs Count, long Expected, IReadOnlyList<int> ClientPids, int OwnerPid, double Seconds, string OwnerAddress)
{
    public IEnumerable<string> Describe()
    {
        yield return Invariant($"counter owned by an actor in process {OwnerPid}; client processes [{string.Join(", ", ClientPids)}] each sent {Expected / ClientPids.Count:N0} increments through an actor reference");
        yield return $"owner at {OwnerAddress}: mutual TLS pinned to a certificate the owner made and handed only to its clients (on their standard input)";
        yield return Invariant($"total {Count.Total:N0} (expected {Expected:N0}), per client [{string.Join(", ", Count.Slots.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))}], in {Seconds:0.000} s");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// <c>multiprocessing.Value</c>/<c>Array</c>/<c>Manager</c>, and <c>Pipe</c> → an actor that owns the
/// value, reached from real client OS processes over Akka.Remote on 127.0.0.1, with mutual TLS
/// pinned to a certificate only the owner and its clients hold.
/// </summary>
public static class ProcessesRow
{
    public static async Task<ProcessesRowResult> RunAsync(SharedStateSettings settings, CancellationToken ct = default)
    {
        await using var owner = CounterOwner.Start(settings, settings.Clients);
        await owner.StartClientsAsync(settings.ClientIncrements, rounds: 1, ct);
        var elapsed = await owner.RunRoundAsync(first: true, ct);
        await owner.WaitForClientsAsync(ct);
        var count = await owner.GetCountAsync(ct);
        return new ProcessesRowResult(
            count, (long)settings.Clients * settings.ClientIncrements, [.. owner.Clients.Select(c => c.Pid)], Environment.ProcessId, elapsed.TotalSeconds, owner.Address);
    }
}
