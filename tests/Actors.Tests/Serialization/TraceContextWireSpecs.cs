using System.Diagnostics;
using System.Runtime.Serialization;
using Actors.Configuration;
using Actors.Protocol;
using Actors.Serialization;

namespace Actors.Tests.Serialization;

/// <summary>
/// A chunk's W3C trace context on the wire: 25 bytes, written only for a chunk that has one (its own
/// manifests, "T" and "C"), so an untraced chunk or batch is byte for byte what it was.
/// </summary>
public sealed class TraceContextWireSpecs() : Akka.TestKit.Xunit2.TestKit(ActorsConfig.Defaults)
{
    private const string Job = "Actors.Jobs.SquareJob, Actors.Core";

    private static readonly ActivityContext Context = new(
        ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736"), ActivitySpanId.CreateFromString("00f067aa0ba902b7"), ActivityTraceFlags.Recorded);

    private ActorsSerializer Serializer => (ActorsSerializer)Sys.Serialization.FindSerializerForType(typeof(RunChunk));

    [Fact]
    public void Serializer_must_carry_a_chunks_trace_context_in_25_bytes_only_when_it_has_one()
    {
        var plain = new RunChunk(7, Job, new long[] { 1, 2, 3 });
        var traced = plain with { Trace = Context };

        var plainBytes = Serializer.ToBinary(plain);
        var tracedBytes = Serializer.ToBinary(traced);
        var copy = Assert.IsType<RunChunk>(Serializer.FromBinary(tracedBytes, Serializer.Manifest(traced)));

        Assert.Equal(("R", "T"), (Serializer.Manifest(plain), Serializer.Manifest(traced)));
        Assert.Equal(plainBytes.Length + 25, tracedBytes.Length);
        Assert.Equal((Context.TraceId, Context.SpanId, Context.TraceFlags, true), (copy.Trace.TraceId, copy.Trace.SpanId, copy.Trace.TraceFlags, copy.Trace.IsRemote));
        Assert.Equal((7L, Job), (copy.ChunkId, copy.JobType));
        Assert.Equal(new long[] { 1, 2, 3 }, (long[])copy.Inputs.ToArray());
        Assert.Equal(default, ((RunChunk)Serializer.FromBinary(plainBytes, "R")).Trace);
    }

    [Fact]
    public void Serializer_must_carry_the_trace_context_of_each_traced_chunk_of_a_batch()
    {
        RunChunk[] chunks = [new(1, Job, new long[] { 1 }) { Trace = Context }, new(2, Job, new long[] { 2 }), new(3, "other", new long[] { 3 }) { Trace = Context }];
        var untraced = new RunChunks(chunks.Select(chunk => chunk with { Trace = default }).ToArray());

        var bytes = Serializer.ToBinary(new RunChunks(chunks));
        var copy = Assert.IsType<RunChunks>(Serializer.FromBinary(bytes, "C"));

        Assert.Equal(("C", "B"), (Serializer.Manifest(new RunChunks(chunks)), Serializer.Manifest(untraced)));
        Assert.Equal(new[] { Context.SpanId, default, Context.SpanId }, copy.Chunks.Select(chunk => chunk.Trace.SpanId));
        Assert.Equal(chunks.Select(chunk => (chunk.ChunkId, chunk.JobType)), copy.Chunks.Select(chunk => (chunk.ChunkId, chunk.JobType)));
        // A flag per chunk, and a context for two of them.
        Assert.Equal(Serializer.ToBinary(untraced).Length + 3 + 2 * 25, bytes.Length);
    }

    [Fact]
    public void Serializer_must_refuse_a_trace_context_cut_short_or_without_ids()
    {
        var traced = Serializer.ToBinary(new RunChunk(1, Job, new long[] { 1 }) { Trace = Context });
        for (var length = 0; length < traced.Length; length++)
        {
            var cut = traced[..length];
            Assert.Throws<SerializationException>(() => Serializer.FromBinary(cut, "T"));
        }

        var empty = traced.ToArray();
        Array.Clear(empty, 0, 16);
        Assert.Contains("empty trace or span id", Assert.Throws<SerializationException>(() => Serializer.FromBinary(empty, "T")).Message);
    }
}
