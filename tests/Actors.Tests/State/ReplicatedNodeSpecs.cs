using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using Actors.Security;
using Akka.Actor;
using Akka.DistributedData;
using SharedState;
using SharedState.Replication;

namespace Actors.Tests.State;

/// <summary>
/// The cluster row: two nodes (two actor systems with the cluster provider in this process, on
/// 127.0.0.1) share a replicated counter and dictionary through Akka.DistributedData,
/// on the one Akka version of the whole family.
/// </summary>
public sealed class ReplicatedNodeSpecs : IAsyncLifetime
{
    private readonly SharedStateSettings _settings = SharedStateSettings.Default with { ClusterIncrements = 20 };
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromMinutes(2));
    private readonly TlsPolicy _credentials = ReplicatedNode.NewClusterCredentials();
    private ReplicatedNode _a = null!;
    private ReplicatedNode _b = null!;

    public async Task InitializeAsync()
    {
        _a = ReplicatedNode.Start(_settings, _credentials);
        _b = ReplicatedNode.Start(_settings, _credentials);
        await _a.JoinAsync(_a, _deadline.Token);
        await _b.JoinAsync(_a, _deadline.Token);
        await Task.WhenAll(_a.WaitForReplicasAsync(2, _deadline.Token), _b.WaitForReplicasAsync(2, _deadline.Token));
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_a.DisposeAsync().AsTask(), _b.DisposeAsync().AsTask());
        _deadline.Dispose();
    }

    [Fact]
    public void DistributedData_must_run_on_the_same_Akka_version_as_the_rest_of_the_family()
    {
        Assert.Equal("1.5.75", Version(typeof(GCounter)));
        Assert.Equal("1.5.75", Version(typeof(ActorSystem)));
        Assert.Equal("1.5.75", Version(typeof(Akka.Cluster.Cluster)));
    }

    [Fact]
    public async Task Two_nodes_must_read_the_same_totals_after_majority_writes_and_majority_reads()
    {
        var ct = _deadline.Token;
        await Task.WhenAll(IncrementAsync(_a, 20), IncrementAsync(_b, 20));

        var totals = await Task.WhenAll(_a.ReadCountAsync(_a.ReadMajority, ct), _b.ReadCountAsync(_b.ReadMajority, ct));

        Assert.Equal([40UL, 40UL], totals);
    }

    [Fact]
    public async Task Two_nodes_must_read_the_same_dictionary_and_agree_on_the_last_writer()
    {
        var ct = _deadline.Token;
        await Task.WhenAll(
            WriteAsync(_a, "node-a"),
            WriteAsync(_b, "node-b"));

        var onA = await _a.ReadEntriesAsync(_a.ReadMajority, ct);
        var onB = await _b.ReadEntriesAsync(_b.ReadMajority, ct);

        Assert.Equal(onA.OrderBy(e => e.Key), onB.OrderBy(e => e.Key));
        Assert.Equal("written by node-a", onA["node-a"]);
        Assert.Equal("written by node-b", onA["node-b"]);
        // Both set it; last-writer-wins picks one, and every replica picks the same.
        Assert.Contains(onA[ClusterRow.LastWriter], new[] { "node-a", "node-b" });

        async Task WriteAsync(ReplicatedNode node, string name)
        {
            await node.SetEntryAsync(name, $"written by {name}", node.WriteMajority, ct);
            await node.SetEntryAsync(ClusterRow.LastWriter, name, node.WriteMajority, ct);
        }
    }

    [Fact]
    public async Task A_majority_read_must_see_a_write_that_only_the_other_node_has_made_locally()
    {
        var ct = _deadline.Token;
        await _a.IncrementAsync(WriteLocal.Instance, ct);

        // A local read on B may or may not have it yet (that is eventual consistency); a majority read must.
        Assert.Equal(1UL, await _b.ReadCountAsync(_b.ReadMajority, ct));
    }

    [Fact]
    public async Task The_cluster_row_must_report_equal_majority_totals_on_both_nodes()
    {
        var result = await ClusterRow.RunAsync(_settings with { ClusterIncrements = 5 }, _deadline.Token);

        Assert.Equal((10UL, 10UL, 10UL), (result.Expected, result.TotalOnA, result.TotalOnB));
        Assert.Equal(result.EntriesOnA.OrderBy(e => e.Key), result.EntriesOnB.OrderBy(e => e.Key));
        Assert.Equal(3, result.EntriesOnA.Count);
        Assert.Equal(11UL, result.MajorityReadAfter);
        Assert.InRange(result.LocalReadRightAfter, 10UL, 11UL);
    }

    [Fact]
    public async Task A_node_without_the_clusters_certificate_must_not_join_it()
    {
        var ct = _deadline.Token;
        // Its own key, and it trusts the cluster's certificate (public: every handshake shows it); only the members' checks stop it.
        var own = CertificateFactory.CreateSelfSigned(ReplicatedNode.SystemName, TimeSpan.FromDays(1));
        var clusters = X509CertificateLoader.LoadCertificate(_credentials.Certificate.RawData);
        await using var outsider = ReplicatedNode.Start(_settings with { JoinTimeout = TimeSpan.FromSeconds(3) }, new TlsPolicy(own, PeerTrust.Pinned([own, clusters])));

        await Assert.ThrowsAsync<TimeoutException>(() => outsider.JoinAsync(_a, ct));

        Assert.Equal("akka.ssl.tcp", _a.Cluster.SelfAddress.Protocol);
        Assert.Equal(new HashSet<Address> { _a.Cluster.SelfAddress, _b.Cluster.SelfAddress }, _a.Cluster.State.Members.Select(m => m.Address).ToHashSet());
        await _b.IncrementAsync(_b.WriteMajority, ct);
        Assert.Equal(1UL, await _a.ReadCountAsync(_a.ReadMajority, ct));
    }

    private async Task IncrementAsync(ReplicatedNode node, int times)
    {
        for (var i = 0; i < times; i++) await node.IncrementAsync(node.WriteMajority, _deadline.Token);
    }

    private static string Version(Type type) =>
        type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+', '-')[0];
}
