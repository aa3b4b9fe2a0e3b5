using System.Collections.Immutable;
using Actors.Security;
using Akka.Actor;
using Akka.DistributedData;

namespace SharedState.Replication;

/// <summary>
/// One cluster node's view of the replicated data of the cluster row: a grow-only counter
/// (<see cref="GCounter"/>) and a last-writer-wins dictionary (<see cref="LWWDictionary{TKey,TValue}"/>,
/// Python's <c>Manager().dict()</c> across machines). Each node keeps a full replica and merges the
/// others' changes; the consistency level of each write and read says how many replicas it waits for.
/// The nodes talk over mutual TLS pinned to one certificate they share (<see cref="NewClusterCredentials"/>):
/// a process without it can neither join the cluster nor reach a replica.
/// </summary>
public sealed class ReplicatedNode : IAsyncDisposable
{
    /// <summary>All members of one cluster share one actor-system name.</summary>
    public const string SystemName = "shared-state-cluster";

    public static readonly GCounterKey CounterKey = new("increments");
    public static readonly LWWDictionaryKey<string, string> EntriesKey = new("entries");

    private readonly SharedStateSettings _settings;

    private ReplicatedNode(SharedStateSettings settings, ActorSystem system)
    {
        _settings = settings;
        System = system;
        Cluster = Akka.Cluster.Cluster.Get(system);
        Replicator = DistributedData.Get(system).Replicator;
    }

    public ActorSystem System { get; }

    public Akka.Cluster.Cluster Cluster { get; }

    public IActorRef Replicator { get; }

    /// <summary>Writes and reads that wait for a majority of the nodes (with two nodes: both).</summary>
    public WriteMajority WriteMajority => new(_settings.MajorityTimeout);

    public ReadMajority ReadMajority => new(_settings.MajorityTimeout);

    /// <summary>A fresh certificate for one cluster, pinned: give the same one to every node of that cluster.</summary>
    public static TlsPolicy NewClusterCredentials() => TlsPolicy.Ephemeral(SystemName);

    /// <summary>Starts a node on 127.0.0.1 (a free port) that runs <paramref name="credentials"/>; it is not in a cluster until it joins one.</summary>
    /// <param name="settings">The sample's settings (the node's configuration is <see cref="SharedStateSettings.ClusterNode"/>).</param>
    /// <param name="credentials">The cluster's credentials (<see cref="NewClusterCredentials"/>): only nodes holding them talk to this one.</param>
    public static ReplicatedNode Start(SharedStateSettings settings, TlsPolicy credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return new(settings, credentials.CreateActorSystem(SystemName, settings.ClusterNode));
    }

    /// <summary>Joins the cluster of <paramref name="seed"/> (itself, for the first node); completes when this node is up.</summary>
    /// <exception cref="TimeoutException">It was not up within <see cref="SharedStateSettings.JoinTimeout"/> (say, the seed refused its certificate).</exception>
    public async Task JoinAsync(ReplicatedNode seed, CancellationToken ct)
    {
        using var deadline = Deadline(ct);
        try
        {
            await Cluster.JoinAsync(seed.Cluster.SelfAddress, deadline.Token);
        }
        // Akka reports a join cut short by its token as a ClusterJoinFailedException.
        catch (Exception e) when (e is OperationCanceledException or Akka.Cluster.ClusterJoinFailedException && deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"{Cluster.SelfAddress} did not join {seed.Cluster.SelfAddress} within {_settings.JoinTimeout}.");
        }
    }

    /// <summary>
    /// Waits until the replicator counts <paramref name="nodes"/> replicas. It learns of members from
    /// cluster events a moment after they are up, and a majority counted before then would be a
    /// majority of fewer nodes. It offers no event for this, so its count is polled.
    /// </summary>
    public async Task WaitForReplicasAsync(int nodes, CancellationToken ct)
    {
        using var deadline = Deadline(ct);
        try
        {
            while ((await Replicator.Ask<ReplicaCount>(Dsl.GetReplicaCount, _settings.AskTimeout, deadline.Token)).N < nodes)
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"{Cluster.SelfAddress} did not see {nodes} replicas within {_settings.JoinTimeout}.");
        }
    }

    /// <summary>Adds 1 to the counter's entry of this node, waiting for <paramref name="consistency"/>.</summary>
    public Task IncrementAsync(IWriteConsistency consistency, CancellationToken ct) =>
        UpdateAsync(Dsl.Update(CounterKey, GCounter.Empty, consistency, counter => counter.Increment(Cluster.SelfUniqueAddress, 1)), ct);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>; a concurrent set elsewhere wins if its timestamp is later.</summary>
    public Task SetEntryAsync(string key, string value, IWriteConsistency consistency, CancellationToken ct) =>
        UpdateAsync(Dsl.Update(EntriesKey, LWWDictionary<string, string>.Empty, consistency, entries => entries.SetItem(Cluster.SelfUniqueAddress, key, value)), ct);

    /// <summary>The counter's value as <paramref name="consistency"/> sees it (0 when no node has written it yet).</summary>
    public async Task<ulong> ReadCountAsync(IReadConsistency consistency, CancellationToken ct) =>
        await GetAsync(CounterKey, consistency, ct) is { } counter ? counter.Value : 0;

    /// <summary>The dictionary as <paramref name="consistency"/> sees it.</summary>
    public async Task<IImmutableDictionary<string, string>> ReadEntriesAsync(IReadConsistency consistency, CancellationToken ct) =>
        await GetAsync(EntriesKey, consistency, ct) is { } entries ? entries.Entries : ImmutableDictionary<string, string>.Empty;

    /// <summary>Leaves the cluster (so the other node does not log this one as failed), then stops.</summary>
    public async ValueTask DisposeAsync() =>
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);

    private CancellationTokenSource Deadline(CancellationToken ct)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_settings.JoinTimeout);
        return deadline;
    }

    private async Task UpdateAsync(Update update, CancellationToken ct)
    {
        var reply = await Replicator.Ask<IUpdateResponse>(update, _settings.AskTimeout, ct);
        // An UpdateTimeout still changed the local replica, which spreads later: the write is not lost,
        // only not yet confirmed by the majority asked for.
        if (!reply.IsSuccessful) throw new TimeoutException($"{Cluster.SelfAddress}: {update.Key} not confirmed: {reply}");
    }

    private async Task<T?> GetAsync<T>(IKey<T> key, IReadConsistency consistency, CancellationToken ct) where T : class, IReplicatedData<T>
    {
        return await Replicator.Ask<IGetResponse>(Dsl.Get(key, consistency), _settings.AskTimeout, ct) switch
        {
            GetSuccess found => found.Get(key),
            NotFound => null,
            var failed => throw new TimeoutException($"{Cluster.SelfAddress}: {key} not read: {failed}"),
        };
    }
}
