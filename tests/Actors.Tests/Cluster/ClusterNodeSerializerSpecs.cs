using Actors.Workers;
using System.Runtime.Serialization;
using Actors.Cluster;
using Actors.Configuration;
using Actors.Pool;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Cluster;

public sealed class ClusterNodeSerializerSpecs() : TestKit(ActorsConfig.Defaults)
{
    private static readonly NodeStatus Status = new(
        "akka.ssl.tcp://actors@127.0.0.1:4053", 1234, new WorkerActivitySnapshot(2, 1, 30, 30_000, 1, 4),
        [new PoolView("map", "cluster", 4, 8, 3, 2, 2, Completed: 120_000, Failed: 3, CompletedPerSecond: 1234.5, FailedPerSecond: 0.5)],
        [new MemberView("akka.ssl.tcp://actors@127.0.0.1:4053", ["seed"], "Up", true),
         new MemberView("akka.ssl.tcp://actors@10.0.0.2:4053", ["worker", "gpu"], "Down", false, "process exited (pid 7, code 137)")]);

    [Fact]
    public void Node_status_messages_must_be_bound_to_their_serializer_and_survive_a_round_trip()
    {
        var serializer = Assert.IsType<ClusterNodeSerializer>(Sys.Serialization.FindSerializerFor(Status));

        var copy = (NodeStatus)serializer.FromBinary(serializer.ToBinary(Status), serializer.Manifest(Status));
        var ask = serializer.FromBinary(serializer.ToBinary(GetNodeStatus.Instance), serializer.Manifest(GetNodeStatus.Instance));

        Assert.Equal((Status.Address, Status.Pid, Status.Workers), (copy.Address, copy.Pid, copy.Workers));
        Assert.Equal(Status.Pools, copy.Pools);
        Assert.Equal(Status.Members.Select(m => (m.Address, string.Join(",", m.Roles), m.Status, m.Reachable, m.Reason)),
            copy.Members.Select(m => (m.Address, string.Join(",", m.Roles), m.Status, m.Reachable, m.Reason)));
        Assert.Same(GetNodeStatus.Instance, ask);
    }

    [Fact]
    public void Exited_member_reports_and_their_answers_must_survive_a_round_trip()
    {
        var report = new DownExitedMember("akka.ssl.tcp://actors@127.0.0.1:4054", "process exited (pid 7, code 137; seen by cluster up)");
        var noted = new ExitedMemberNoted(report.Member, true, "downed: 127.0.0.1:4054 refused the connection");
        var serializer = Assert.IsType<ClusterNodeSerializer>(Sys.Serialization.FindSerializerFor(report));

        Assert.Equal(report, serializer.FromBinary(serializer.ToBinary(report), serializer.Manifest(report)));
        Assert.Equal(noted, serializer.FromBinary(serializer.ToBinary(noted), serializer.Manifest(noted)));
    }

    [Fact]
    public void Node_status_serializer_must_refuse_a_count_beyond_its_bound_before_allocating()
    {
        var serializer = (ClusterNodeSerializer)Sys.Serialization.FindSerializerFor(Status);
        var bytes = serializer.ToBinary(Status with { Pools = [], Members = [] });
        // The pools' count is the first list after the address, pid and six counters.
        var at = bytes.Length - 8;
        BitConverter.GetBytes(int.MaxValue).CopyTo(bytes, at);

        var refused = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, serializer.Manifest(Status)));
        Assert.Contains("refused", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_status_serializer_must_refuse_a_manifest_it_does_not_know()
    {
        var serializer = (ClusterNodeSerializer)Sys.Serialization.FindSerializerFor(Status);

        Assert.Throws<SerializationException>(() => serializer.FromBinary([], "System.Object"));
    }
}
