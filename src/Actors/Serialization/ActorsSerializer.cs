using System.Runtime.Serialization;
using Actors.Protocol;
using Akka.Actor;
using Akka.Serialization;

namespace Actors.Serialization;

/// <summary>
/// The one serializer for this project's messages: a compact binary layout per message, payloads
/// through <see cref="PayloadCodec"/>. It writes and reads only the types it knows by manifest, so
/// nothing unexpected is ever built from bytes off the wire.
/// </summary>
public sealed class ActorsSerializer : SerializerWithStringManifest
{
    private readonly WireTypes _types;

    public ActorsSerializer(ExtendedActorSystem system) : base(system)
    {
        _types = WireTypes.For(system);
    }

    /// <summary>Chosen once; it must never change, as both ends of a wire must agree on it.</summary>
    public override int Identifier => 1848;

    public override string Manifest(object o) => o switch
    {
        RunChunk => "R",
        CancelChunk => "X",
        Probe => "P",
        Probed => "Q",
        ChunkCompleted => "D",
        ChunkFailed => "F",
        ChunkRefused => "N",
        ListWorkers => "L",
        WorkersListed => "W",
        _ => throw new ArgumentException($"{o.GetType()} is not a wire message of this project; bind it to another serializer.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            switch (obj)
            {
                case RunChunk m: w.Write(m.ChunkId); w.Write(m.JobType); PayloadCodec.Write(w, m.Inputs); break;
                case CancelChunk m: w.Write(m.ChunkId); break;
                case Probe m: w.Write(m.Id); break;
                case Probed m: w.Write(m.Id); break;
                case ChunkCompleted m: w.Write(m.ChunkId); PayloadCodec.Write(w, m.Outputs); w.Write(m.Pid); break;
                case ChunkFailed m:
                    w.Write(m.ChunkId); w.Write(m.FailedOffset); PayloadCodec.Write(w, m.CompletedOutputs);
                    w.Write(m.Error.Type); w.Write(m.Error.Message); w.Write(m.Error.StackTrace); w.Write(m.Error.Pid);
                    w.Write(m.Retryable); w.Write(m.Pid);
                    break;
                case ChunkRefused m: w.Write(m.ChunkId); w.Write(m.Reason); w.Write(m.Pid); break;
                case ListWorkers: break;
                case WorkersListed m:
                    w.Write(m.Workers.Count);
                    foreach (var worker in m.Workers) w.Write(Akka.Serialization.Serialization.SerializedActorPath(worker));
                    w.Write(m.Pid);
                    break;
                default: throw new ArgumentException($"{obj.GetType()} is not a wire message of this project.", nameof(obj));
            }
        }
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        return manifest switch
        {
            "R" => new RunChunk(r.ReadInt64(), r.ReadString(), ArrayRegion.Of(PayloadCodec.ReadRequired(r, _types))),
            "X" => new CancelChunk(r.ReadInt64()),
            "P" => new Probe(r.ReadInt64()),
            "Q" => new Probed(r.ReadInt64()),
            "D" => new ChunkCompleted(r.ReadInt64(), PayloadCodec.Read(r, _types), r.ReadInt32()),
            "F" => new ChunkFailed(r.ReadInt64(), r.ReadInt32(), PayloadCodec.Read(r, _types),
                new JobError(r.ReadString(), r.ReadString(), r.ReadString(), r.ReadInt32()), r.ReadBoolean(), r.ReadInt32()),
            "N" => new ChunkRefused(r.ReadInt64(), r.ReadString(), r.ReadInt32()),
            "L" => ListWorkers.Instance,
            "W" => new WorkersListed(ReadRefs(r), r.ReadInt32()),
            _ => throw new SerializationException($"unknown manifest '{manifest}' for {nameof(ActorsSerializer)}"),
        };
    }

    private IActorRef[] ReadRefs(BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count is < 0 or > 4096) throw new SerializationException($"a worker list claims {count} workers");
        var workers = new IActorRef[count];
        for (var i = 0; i < count; i++) workers[i] = system.Provider.ResolveActorRef(r.ReadString());
        return workers;
    }
}
