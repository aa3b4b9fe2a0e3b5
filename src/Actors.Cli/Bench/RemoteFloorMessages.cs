using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Serialization;

namespace Actors.Cli.Bench;

/// <summary>
/// The one message of <see cref="RemoteFloor"/>: a chunk of longs starting at input <paramref name="From"/>,
/// sent to be squared and sent back squared (the same message, its values squared in place).
/// </summary>
internal sealed record FloorChunk(int From, long[] Values);

/// <summary>
/// What a competent user binds a hot message to instead of a general serializer: <see cref="FloorChunk"/>
/// as its start index and its longs copied as bytes, as the pool's own serializer copies arrays of primitives.
/// </summary>
internal sealed class FloorChunkSerializer(ExtendedActorSystem system) : Serializer(system)
{
    /// <summary>Chosen once; the library's serializers take 1848–1850.</summary>
    public override int Identifier => 1860;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj)
    {
        if (obj is not FloorChunk chunk) throw new ArgumentException($"{obj.GetType()} is not a {nameof(FloorChunk)}", nameof(obj));
        var values = MemoryMarshal.AsBytes(chunk.Values.AsSpan());
        var bytes = GC.AllocateUninitializedArray<byte>(4 + values.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes, chunk.From);
        values.CopyTo(bytes.AsSpan(4));
        return bytes;
    }

    public override object FromBinary(byte[] bytes, Type type)
    {
        if (bytes.Length < 4 || (bytes.Length - 4) % sizeof(long) != 0) throw new ArgumentException($"{bytes.Length} bytes are not a {nameof(FloorChunk)}", nameof(bytes));
        var values = GC.AllocateUninitializedArray<long>((bytes.Length - 4) / sizeof(long));
        bytes.AsSpan(4).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        return new FloorChunk(BinaryPrimitives.ReadInt32LittleEndian(bytes), values);
    }
}
