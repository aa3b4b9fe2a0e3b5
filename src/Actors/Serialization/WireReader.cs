using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;

namespace Actors.Serialization;

/// <summary>
/// Reads what an <see cref="IWireOutput"/> wrote. Nothing read off the wire is trusted: a length or
/// count that claims more than the message holds, or a message that ends early or goes on past its
/// end, is refused with a <see cref="SerializationException"/> before anything is allocated for it.
/// </summary>
internal ref struct WireReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _at;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _bytes.Length - _at;

    public byte Byte() => Take(1, "a byte")[0];

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4, "a 32-bit number"));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8, "a 64-bit number"));

    public bool Boolean() => Byte() switch
    {
        0 => false,
        1 => true,
        var other => throw new SerializationException($"a flag of {other} is neither 0 nor 1"),
    };

    public string String()
    {
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 28) throw new SerializationException("a string's length is not a valid 7-bit encoded number");
            var part = Byte();
            length |= (part & 0x7F) << shift;
            if ((part & 0x80) == 0) break;
        }
        if (length < 0) throw new SerializationException("a string claims a negative length");
        return Encoding.UTF8.GetString(Take(length, $"a string of {length} bytes"));
    }

    /// <summary>The next <paramref name="count"/> bytes, as a view of the message.</summary>
    public ReadOnlySpan<byte> Bytes(int count, string what) => Take(count, what);

    /// <summary>A count read off the wire, checked against what is left: each item takes at least <paramref name="bytesEach"/> bytes.</summary>
    public int Count(int bytesEach, string what)
    {
        var count = Int32();
        if (count < 0 || (long)count * bytesEach > Remaining)
            throw new SerializationException($"{what} claims {count} items, but only {Remaining} bytes are left in the message");
        return count;
    }

    /// <summary>Refuses bytes past the message's end: a message is read whole, or not at all.</summary>
    public readonly void End(string manifest)
    {
        if (Remaining != 0) throw new SerializationException($"{Remaining} bytes follow the end of a '{manifest}' message");
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if ((uint)count > (uint)Remaining)
            throw new SerializationException($"the message ends before {what} ({Remaining} bytes left, {count} needed)");
        var taken = _bytes.Slice(_at, count);
        _at += count;
        return taken;
    }
}
