using System.Buffers.Binary;
using System.Text;

namespace Actors.Serialization;

/// <summary>
/// Where a message's bytes go. Each message is written by one method, generic over this: once into
/// a <see cref="WireSize"/>, which only counts, then into a <see cref="WireWriter"/> over a buffer of
/// exactly that size, so that a message is written once, into one array, with no growth and no copy.
/// </summary>
/// <remarks>The layout is little-endian; a string is its UTF-8 length as a 7-bit encoded number, then its bytes.</remarks>
internal interface IWireOutput
{
    void Byte(byte value);

    void Int32(int value);

    void Int64(long value);

    void Boolean(bool value);

    void String(string value);

    void Raw(ReadOnlySpan<byte> bytes);
}

/// <summary>Counts the bytes a message takes.</summary>
internal struct WireSize : IWireOutput
{
    public long Bytes { get; private set; }

    public void Byte(byte value) => Bytes += 1;

    public void Int32(int value) => Bytes += 4;

    public void Int64(long value) => Bytes += 8;

    public void Boolean(bool value) => Bytes += 1;

    public void String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Bytes += LengthPrefix(length) + length;
    }

    public void Raw(ReadOnlySpan<byte> bytes) => Bytes += bytes.Length;

    /// <summary>The bytes of a 7-bit encoded length.</summary>
    public static int LengthPrefix(int length) => length < 1 << 7 ? 1 : length < 1 << 14 ? 2 : length < 1 << 21 ? 3 : length < 1 << 28 ? 4 : 5;
}

/// <summary>Writes a message into a span sized by <see cref="WireSize"/>; writing past its end is a bug and throws.</summary>
internal ref struct WireWriter(Span<byte> buffer) : IWireOutput
{
    private readonly Span<byte> _buffer = buffer;
    private int _at;

    /// <summary>Bytes written so far.</summary>
    public readonly int Written => _at;

    public void Byte(byte value) => _buffer[_at++] = value;

    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer[_at..], value);
        _at += 4;
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer[_at..], value);
        _at += 8;
    }

    public void Boolean(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        for (var rest = (uint)length; ; rest >>= 7)
        {
            if (rest < 0x80)
            {
                Byte((byte)rest);
                break;
            }
            Byte((byte)(rest | 0x80));
        }
        _at += Encoding.UTF8.GetBytes(value, _buffer.Slice(_at, length));
    }

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[_at..]);
        _at += bytes.Length;
    }
}
