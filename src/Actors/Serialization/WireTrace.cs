using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.Serialization;

namespace Actors.Serialization;

/// <summary>
/// A W3C trace context on the wire, in 25 bytes: the trace id (16), the parent span id (8) and the
/// trace flags (1). The trace state is not carried. Written only for a chunk that has a context.
/// </summary>
internal static class WireTrace
{
    public const int Size = 25;

    public static void Write<TOut>(ref TOut w, ActivityContext context) where TOut : IWireOutput, allows ref struct
    {
        // As three little-endian words and a byte: the same bytes as the ids' own, in order.
        Span<byte> ids = stackalloc byte[24];
        context.TraceId.CopyTo(ids[..16]);
        context.SpanId.CopyTo(ids[16..]);
        w.Int64(BinaryPrimitives.ReadInt64LittleEndian(ids[..8]));
        w.Int64(BinaryPrimitives.ReadInt64LittleEndian(ids[8..16]));
        w.Int64(BinaryPrimitives.ReadInt64LittleEndian(ids[16..]));
        w.Byte((byte)context.TraceFlags);
    }

    public static ActivityContext Read(ref WireReader r)
    {
        var bytes = r.Bytes(Size, "a trace context");
        if (!bytes[..16].ContainsAnyExcept((byte)0) || !bytes.Slice(16, 8).ContainsAnyExcept((byte)0)) throw new SerializationException("a trace context with an empty trace or span id");
        // Every flag bit is carried as it came: W3C leaves bits a reader does not know to be passed on.
        var traceId = ActivityTraceId.CreateFromBytes(bytes[..16]);
        var spanId = ActivitySpanId.CreateFromBytes(bytes.Slice(16, 8));
        return new ActivityContext(traceId, spanId, (ActivityTraceFlags)bytes[24], isRemote: true);
    }
}
