using Actors.Workers;
using System.Runtime.Serialization;
using Actors.Pool;
using Akka.Actor;
using Akka.Serialization;

namespace Actors.Cluster;

/// <summary>
/// Carries the status protocol of cluster nodes (<see cref="IClusterNodeMessage"/>). It reads only
/// the types it knows by manifest, and every count it reads is bounded, so bytes off the wire never
/// make it allocate more than the frame they came in.
/// </summary>
internal sealed class ClusterNodeSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The most members, pools or roles one status lists; far above any cluster this project runs.</summary>
    private const int MaxEntries = 4096;

    /// <summary>Chosen once; it must never change, as both ends of a wire must agree on it.</summary>
    public override int Identifier => 1850;

    public override string Manifest(object o) => o switch
    {
        GetNodeStatus => "G",
        NodeStatus => "S",
        DownExitedMember => "D",
        ExitedMemberNoted => "N",
        _ => throw new ArgumentException($"{o.GetType()} is not a cluster node message.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            switch (obj)
            {
                case GetNodeStatus: break;
                case NodeStatus m:
                    w.Write(m.Address);
                    w.Write(m.Pid);
                    var a = m.Workers;
                    foreach (var count in (long[])[a.Workers, a.ChunksRunning, a.ChunksDone, a.InputsDone, a.ChunksFailed, a.Restarts]) w.Write(count);
                    WriteList(w, m.Pools, (pool, writer) =>
                    {
                        writer.Write(pool.Name); writer.Write(pool.Mode); writer.Write(pool.Routees); writer.Write(pool.InFlight);
                        writer.Write(pool.Queued); writer.Write(pool.Retries); writer.Write(pool.Hosts);
                        writer.Write(pool.Completed); writer.Write(pool.Failed);
                        writer.Write(pool.CompletedPerSecond); writer.Write(pool.FailedPerSecond);
                    });
                    WriteList(w, m.Members, (member, writer) =>
                    {
                        writer.Write(member.Address);
                        WriteList(writer, member.Roles, (role, inner) => inner.Write(role));
                        writer.Write(member.Status);
                        writer.Write(member.Reachable);
                        writer.Write(member.Reason);
                    });
                    break;
                case DownExitedMember m:
                    w.Write(m.Member);
                    w.Write(m.Reason);
                    break;
                case ExitedMemberNoted m:
                    w.Write(m.Member);
                    w.Write(m.Downed);
                    w.Write(m.Detail);
                    break;
                default: throw new ArgumentException($"{obj.GetType()} is not a cluster node message.", nameof(obj));
            }
        }
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        return manifest switch
        {
            "G" => GetNodeStatus.Instance,
            "S" => new NodeStatus(
                r.ReadString(),
                r.ReadInt32(),
                new WorkerActivitySnapshot(r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64()),
                ReadList(r, reader => new PoolView(reader.ReadString(), reader.ReadString(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt32(),
                    reader.ReadInt64(), reader.ReadInt64(), reader.ReadDouble(), reader.ReadDouble())),
                ReadList(r, reader => new MemberView(reader.ReadString(), ReadList(reader, inner => inner.ReadString()), reader.ReadString(), reader.ReadBoolean(), reader.ReadString()))),
            "D" => new DownExitedMember(r.ReadString(), r.ReadString()),
            "N" => new ExitedMemberNoted(r.ReadString(), r.ReadBoolean(), r.ReadString()),
            _ => throw new SerializationException($"unknown manifest '{manifest}' for {nameof(ClusterNodeSerializer)}"),
        };
    }

    private static void WriteList<T>(BinaryWriter writer, IReadOnlyList<T> items, Action<T, BinaryWriter> write)
    {
        writer.Write(items.Count);
        foreach (var item in items) write(item, writer);
    }

    private static T[] ReadList<T>(BinaryReader reader, Func<BinaryReader, T> read)
    {
        var count = reader.ReadInt32();
        if (count is < 0 or > MaxEntries) throw new SerializationException($"a node status listing {count} entries is refused (at most {MaxEntries})");
        var items = new T[count];
        for (var i = 0; i < count; i++) items[i] = read(reader);
        return items;
    }
}
