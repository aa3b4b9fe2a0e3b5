using System.Runtime.Serialization;
using Actors.Protocol;
using Akka.Actor;
using Akka.Serialization;

namespace Actors.Serialization;

/// <summary>
/// The one serializer for this project's messages: a compact binary layout per message, payloads
/// through <see cref="PayloadCodec"/>. A message is measured, then written once into an array of
/// exactly its size (no stream that grows and is copied out); arrays of primitives are copied as
/// bytes both ways. It writes and reads only the types it knows by manifest, and refuses bytes
/// whose counts or lengths claim more than the message holds, so nothing unexpected is ever built
/// from bytes off the wire.
/// </summary>
internal sealed class ActorsSerializer : SerializerWithStringManifest
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
        RunChunk { Trace: var trace } when trace != default => "T", // a chunk with a trace context
        RunChunk => "R",
        RunChunks m when IsTraced(m) => "C", // a batch with a trace context for some chunk
        RunChunks => "B",
        CancelChunk => "X",
        Probe => "P",
        Probed => "Q",
        ChunkCompleted => "D",
        ChunkFailed => "F",
        ChunkRefused => "N",
        ChunkAnswers => "A",
        ListWorkers => "L",
        WorkersListed => "W",
        _ => throw new ArgumentException($"{o.GetType()} is not a wire message of this project; bind it to another serializer.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        var json = new JsonPayloads();
        var size = new WireSize();
        Write(ref size, obj, json);
        // Every byte is written below: no need to clear them first.
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)size.Bytes));
        json.Rewind();
        var writer = new WireWriter(bytes);
        Write(ref writer, obj, json);
        return writer.Written == bytes.Length
            ? bytes
            : throw new InvalidOperationException($"{obj.GetType().Name} measured {bytes.Length} bytes but wrote {writer.Written}");
    }

    private static void Write<TOut>(ref TOut w, object message, JsonPayloads json) where TOut : IWireOutput, allows ref struct
    {
        switch (message)
        {
            case RunChunk m:
                if (m.Trace != default) WireTrace.Write(ref w, m.Trace);
                w.Int64(m.ChunkId);
                w.String(m.JobType);
                PayloadCodec.Write(ref w, m.Inputs, json);
                break;
            case RunChunks m:
                var traced = IsTraced(m);
                w.Int32(m.Chunks.Count);
                string? jobType = null;
                foreach (var chunk in m.Chunks)
                {
                    w.Int64(chunk.ChunkId);
                    // Chunks of one batch mostly share their job: its name is written once.
                    var same = chunk.JobType == jobType;
                    w.Boolean(same);
                    if (traced)
                    {
                        // A traced batch ("C") says of each chunk whether a trace context follows.
                        w.Boolean(chunk.Trace != default);
                        if (chunk.Trace != default) WireTrace.Write(ref w, chunk.Trace);
                    }
                    if (!same) w.String(chunk.JobType);
                    jobType = chunk.JobType;
                    PayloadCodec.Write(ref w, chunk.Inputs, json);
                }
                break;
            case CancelChunk m: w.Int64(m.ChunkId); break;
            case Probe m: w.Int64(m.Id); break;
            case Probed m: w.Int64(m.Id); break;
            case ChunkAnswers m:
                w.Int32(m.Answers.Count);
                foreach (var answer in m.Answers)
                {
                    w.Byte((byte)AnswerKind(answer));
                    Write(ref w, answer, json);
                }
                break;
            case ChunkCompleted m:
                w.Int64(m.ChunkId);
                PayloadCodec.Write(ref w, m.Outputs, json);
                w.Int32(m.Pid);
                w.Int64(m.RunTime.Ticks);
                break;
            case ChunkFailed m:
                w.Int64(m.ChunkId);
                w.Int32(m.FailedOffset);
                PayloadCodec.Write(ref w, m.CompletedOutputs, json);
                w.String(m.Error.Type);
                w.String(m.Error.Message);
                w.String(m.Error.StackTrace);
                w.Int32(m.Error.Pid);
                w.Boolean(m.Retryable);
                w.Int32(m.Pid);
                break;
            case ChunkRefused m:
                w.Int64(m.ChunkId);
                w.String(m.Reason);
                w.Int32(m.Pid);
                break;
            case ListWorkers: break;
            case WorkersListed m:
                w.Int32(m.Workers.Count);
                foreach (var worker in m.Workers) w.String(Akka.Serialization.Serialization.SerializedActorPath(worker));
                w.Int32(m.Pid);
                break;
            default: throw new ArgumentException($"{message.GetType()} is not a wire message of this project.", nameof(message));
        }
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var r = new WireReader(bytes);
        var message = Read(ref r, manifest);
        r.End(manifest);
        return message;
    }

    private object Read(ref WireReader r, string manifest) => manifest switch
    {
        "R" => new RunChunk(r.Int64(), r.String(), ArrayRegion.Of(PayloadCodec.ReadRequired(ref r, _types))),
        "T" => ReadTracedChunk(ref r),
        "B" => ReadRunChunks(ref r, traced: false),
        "C" => ReadRunChunks(ref r, traced: true),
        "X" => new CancelChunk(r.Int64()),
        "P" => new Probe(r.Int64()),
        "Q" => new Probed(r.Int64()),
        "A" => ReadAnswers(ref r),
        "D" => new ChunkCompleted(r.Int64(), PayloadCodec.Read(ref r, _types), r.Int32()) { RunTime = ReadRunTime(ref r) },
        "F" => new ChunkFailed(r.Int64(), r.Int32(), PayloadCodec.Read(ref r, _types),
            new JobError(r.String(), r.String(), r.String(), r.Int32()), r.Boolean(), r.Int32()),
        "N" => new ChunkRefused(r.Int64(), r.String(), r.Int32()),
        "L" => ListWorkers.Instance,
        "W" => new WorkersListed(ReadRefs(ref r), r.Int32()),
        _ => throw new SerializationException($"unknown manifest '{manifest}' for {nameof(ActorsSerializer)}"),
    };

    private static bool IsTraced(RunChunks batch)
    {
        foreach (var chunk in batch.Chunks)
            if (chunk.Trace != default) return true;
        return false;
    }

    private RunChunks ReadRunChunks(ref WireReader r, bool traced)
    {
        // Each chunk takes at least its id, a flag, a payload tag and a count.
        var chunks = new RunChunk[r.Count(bytesEach: 14, "a batch of chunks")];
        string? jobType = null;
        for (var i = 0; i < chunks.Length; i++)
        {
            var id = r.Int64();
            var same = r.Boolean();
            var trace = traced && r.Boolean() ? WireTrace.Read(ref r) : default;
            if (same && jobType is null) throw new SerializationException("the first chunk of a batch names no job");
            if (!same) jobType = r.String();
            chunks[i] = new RunChunk(id, jobType!, ArrayRegion.Of(PayloadCodec.ReadRequired(ref r, _types))) { Trace = trace };
        }
        return new RunChunks(chunks);
    }

    private RunChunk ReadTracedChunk(ref WireReader r)
    {
        var trace = WireTrace.Read(ref r);
        return new RunChunk(r.Int64(), r.String(), ArrayRegion.Of(PayloadCodec.ReadRequired(ref r, _types))) { Trace = trace };
    }

    private ChunkAnswers ReadAnswers(ref WireReader r)
    {
        // Each answer takes at least its kind, its chunk id and its pid.
        var answers = new IChunkAnswer[r.Count(bytesEach: 13, "a batch of answers")];
        for (var i = 0; i < answers.Length; i++)
        {
            var kind = (char)r.Byte();
            answers[i] = kind is 'D' or 'F' or 'N'
                ? (IChunkAnswer)Read(ref r, kind.ToString())
                : throw new SerializationException($"an answer of unknown kind '{kind}'");
        }
        return new ChunkAnswers(answers);
    }

    private static TimeSpan ReadRunTime(ref WireReader r)
    {
        var ticks = r.Int64();
        return ticks >= 0 ? TimeSpan.FromTicks(ticks) : throw new SerializationException($"a chunk's run time of {ticks} ticks is negative");
    }

    private static char AnswerKind(IChunkAnswer answer) => answer switch
    {
        ChunkCompleted => 'D',
        ChunkFailed => 'F',
        ChunkRefused => 'N',
        _ => throw new ArgumentException($"{answer.GetType()} is not an answer this serializer writes", nameof(answer)),
    };

    private IActorRef[] ReadRefs(ref WireReader r)
    {
        var count = r.Count(bytesEach: 1, "a worker list");
        if (count > 4096) throw new SerializationException($"a worker list claims {count} workers");
        var workers = new IActorRef[count];
        for (var i = 0; i < count; i++) workers[i] = system.Provider.ResolveActorRef(r.String());
        return workers;
    }
}
