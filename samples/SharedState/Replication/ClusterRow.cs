using System.Collections.Immutable;
using Akka.DistributedData;

namespace SharedState.Replication;

/// <summary>What the cluster row observed.</summary>
/// <param name="Expected">Nodes × increments.</param>
/// <param name="TotalOnA">Node A's majority read of the counter.</param>
/// <param name="TotalOnB">Node B's majority read of the counter.</param>
/// <param name="EntriesOnA">Node A's majority read of the dictionary.</param>
/// <param name="EntriesOnB">Node B's majority read of the dictionary.</param>
/// <param name="LocalReadRightAfter">B's local read right after A's local-only increment: old or new, whichever has spread.</param>
/// <param name="MajorityReadAfter">B's majority read after that same increment.</param>
public sealed record ClusterRowResult(
    ulong Expected,
    ulong TotalOnA,
    ulong TotalOnB,
    IImmutableDictionary<string, string> EntriesOnA,
    IImmutableDictionary<string, string> EntriesOnB,
    ulong LocalReadRightAfter,
    ulong MajorityReadAfter)
{
    public IEnumerable<string> Describe()
    {
        yield return $"GCounter, 2 nodes x {Expected / 2} increments with WriteMajority: ReadMajority on node A = {TotalOnA}, on node B = {TotalOnB} (expected {Expected})";
        yield return $"LWWDictionary with WriteMajority/ReadMajority: A sees {{{Show(EntriesOnA)}}}, B sees {{{Show(EntriesOnB)}}}";
        yield return $"eventual consistency: one WriteLocal increment on A; B's ReadLocal right after = {LocalReadRightAfter} (old or new), B's ReadMajority = {MajorityReadAfter}";
    }

    private static string Show(IImmutableDictionary<string, string> entries) =>
        string.Join(", ", entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {e.Value}"));
}

/// <summary>
/// Across cluster nodes → Akka.DistributedData: two nodes (two actor systems with the cluster
/// provider, on 127.0.0.1, over TLS pinned to a certificate they share) increment one replicated
/// counter and write one replicated dictionary.
/// </summary>
public static class ClusterRow
{
    public const string LastWriter = "last-writer";

    public static async Task<ClusterRowResult> RunAsync(SharedStateSettings settings, CancellationToken ct = default)
    {
        var credentials = ReplicatedNode.NewClusterCredentials();
        await using var a = ReplicatedNode.Start(settings, credentials);
        await using var b = ReplicatedNode.Start(settings, credentials);
        await a.JoinAsync(a, ct);
        await b.JoinAsync(a, ct);
        await Task.WhenAll(a.WaitForReplicasAsync(2, ct), b.WaitForReplicasAsync(2, ct));

        var increments = settings.ClusterIncrements;
        await Task.WhenAll(WriteAsync(a, "node-a"), WriteAsync(b, "node-b"));
        var totals = await Task.WhenAll(a.ReadCountAsync(a.ReadMajority, ct), b.ReadCountAsync(b.ReadMajority, ct));
        var entries = await Task.WhenAll(a.ReadEntriesAsync(a.ReadMajority, ct), b.ReadEntriesAsync(b.ReadMajority, ct));

        await a.IncrementAsync(WriteLocal.Instance, ct);
        var localRead = await b.ReadCountAsync(ReadLocal.Instance, ct);
        var majorityRead = await b.ReadCountAsync(b.ReadMajority, ct);

        return new ClusterRowResult((ulong)(2 * increments), totals[0], totals[1], entries[0], entries[1], localRead, majorityRead);

        async Task WriteAsync(ReplicatedNode node, string name)
        {
            for (var i = 0; i < increments; i++) await node.IncrementAsync(node.WriteMajority, ct);
            await node.SetEntryAsync(name, $"{increments} increments", node.WriteMajority, ct);
            await node.SetEntryAsync(LastWriter, name, node.WriteMajority, ct);
        }
    }
}
