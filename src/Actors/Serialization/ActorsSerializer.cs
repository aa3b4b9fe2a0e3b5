using System.Runtime.Serialization;
using Actors.Pool;
using Actors.Processes;
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
        StartJob => "S",
        SubmitChunk => "C",
        EndJob => "E",
        RunChunk => "R",
        ChunkStarted => "A",
        Flush => "FL",
        Flushed => "FD",
        ChunkCompleted => "D",
        ChunkFailed => "F",
        ResultsReady => "Y",
        InputFailed => "X",
        GetPoolStatus => "G",
        PoolStatus => "P",
        WorkersAdded => "WA",
        WorkerLost => "WL",
        WorkerProcessCount => "WC",
        WorkerHostReady => "H",
        _ => throw new ArgumentException($"{o.GetType()} is not a message of this project; bind it to another serializer.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            switch (obj)
            {
                case StartJob m:
                    w.Write(m.JobId); w.Write(m.JobType); w.Write(m.MaxAttempts);
                    w.Write(m.TaskTimeout?.Ticks ?? -1); WriteRef(w, m.ReplyTo);
                    break;
                case SubmitChunk m: w.Write(m.JobId); w.Write(m.FirstIndex); PayloadCodec.Write(w, m.Inputs); break;
                case EndJob m: w.Write(m.JobId); break;
                case RunChunk m: w.Write(m.ChunkId); w.Write(m.JobType); PayloadCodec.Write(w, m.Inputs); w.Write(m.Acknowledge); break;
                case ChunkStarted m: w.Write(m.ChunkId); break;
                case Flush m: w.Write(m.Epoch); break;
                case Flushed m: w.Write(m.Epoch); break;
                case ChunkCompleted m: w.Write(m.ChunkId); PayloadCodec.Write(w, m.Outputs); w.Write(m.Pid); break;
                case ChunkFailed m:
                    w.Write(m.ChunkId); w.Write(m.FailedOffset); PayloadCodec.Write(w, m.CompletedOutputs);
                    w.Write(m.ErrorType); w.Write(m.ErrorMessage); w.Write(m.Retryable); w.Write(m.Pid);
                    break;
                case ResultsReady m: w.Write(m.JobId); w.Write(m.FirstIndex); PayloadCodec.Write(w, m.Outputs); w.Write(m.Pid); break;
                case InputFailed m:
                    w.Write(m.JobId); w.Write(m.Index); w.Write(m.Input); w.Write(m.ErrorType); w.Write(m.ErrorMessage); w.Write(m.Attempts);
                    break;
                case GetPoolStatus: break;
                case PoolStatus m:
                    w.Write(m.Routees); w.Write(m.InFlightChunks); w.Write(m.MaxInFlightChunks); w.Write(m.QueuedChunks);
                    w.Write(m.ActiveJobs); w.Write(m.Retries); w.Write(m.WorkerProcesses); w.Write(m.Recovering);
                    break;
                case WorkersAdded m: WriteRefs(w, m.Workers); break;
                case WorkerLost m: WriteRefs(w, m.Workers); w.Write(m.Reason); w.Write(m.RunningChunk ?? -1); break;
                case WorkerProcessCount m: w.Write(m.Processes); break;
                case WorkerHostReady m: w.Write(m.Pid); w.Write(m.Address); break;
                default: throw new ArgumentException($"{obj.GetType()} is not a message of this project.", nameof(obj));
            }
        }
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        return manifest switch
        {
            "S" => new StartJob(r.ReadInt64(), r.ReadString(), r.ReadInt32(), ReadTimeout(r), ReadRef(r)),
            "C" => new SubmitChunk(r.ReadInt64(), r.ReadInt64(), PayloadCodec.Read(r, _types)),
            "E" => new EndJob(r.ReadInt64()),
            "R" => new RunChunk(r.ReadInt64(), r.ReadString(), PayloadCodec.Read(r, _types), r.ReadBoolean()),
            "A" => new ChunkStarted(r.ReadInt64()),
            "FL" => new Flush(r.ReadInt64()),
            "FD" => new Flushed(r.ReadInt64()),
            "D" => new ChunkCompleted(r.ReadInt64(), PayloadCodec.Read(r, _types), r.ReadInt32()),
            "F" => new ChunkFailed(r.ReadInt64(), r.ReadInt32(), PayloadCodec.Read(r, _types), r.ReadString(), r.ReadString(), r.ReadBoolean(), r.ReadInt32()),
            "Y" => new ResultsReady(r.ReadInt64(), r.ReadInt64(), PayloadCodec.Read(r, _types), r.ReadInt32()),
            "X" => new InputFailed(r.ReadInt64(), r.ReadInt64(), r.ReadString(), r.ReadString(), r.ReadString(), r.ReadInt32()),
            "G" => GetPoolStatus.Instance,
            "P" => new PoolStatus(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt64(), r.ReadInt32(), r.ReadBoolean()),
            "WA" => new WorkersAdded(ReadRefs(r)),
            "WL" => new WorkerLost(ReadRefs(r), r.ReadString(), r.ReadInt64() is var chunk and >= 0 ? chunk : null),
            "WC" => new WorkerProcessCount(r.ReadInt32()),
            "H" => new WorkerHostReady(r.ReadInt32(), r.ReadString()),
            _ => throw new SerializationException($"unknown manifest '{manifest}' for {nameof(ActorsSerializer)}"),
        };
    }

    private static TimeSpan? ReadTimeout(BinaryReader r) => r.ReadInt64() is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

    private static void WriteRef(BinaryWriter w, IActorRef actor) => w.Write(Akka.Serialization.Serialization.SerializedActorPath(actor));

    private IActorRef ReadRef(BinaryReader r) => system.Provider.ResolveActorRef(r.ReadString());

    private static void WriteRefs(BinaryWriter w, IReadOnlyCollection<IActorRef> actors)
    {
        w.Write(actors.Count);
        foreach (var actor in actors) WriteRef(w, actor);
    }

    private IActorRef[] ReadRefs(BinaryReader r)
    {
        var actors = new IActorRef[r.ReadInt32()];
        for (var i = 0; i < actors.Length; i++) actors[i] = ReadRef(r);
        return actors;
    }
}
