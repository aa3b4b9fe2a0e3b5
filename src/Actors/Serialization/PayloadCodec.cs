using System.Runtime.InteropServices;
using System.Text.Json;
using Actors.Protocol;

namespace Actors.Serialization;

/// <summary>
/// Writes job inputs and outputs, always regions of typed arrays (only the region is written):
/// primitives are copied as raw bytes, strings as UTF-8, registered types as System.Text.Json.
/// </summary>
internal static class PayloadCodec
{
    /// <summary>
    /// Fields too: a value tuple's items are fields, and without them it would cross the wire as
    /// <c>{}</c> and arrive as all defaults (<see cref="WireShape"/> refuses what still would not round-trip).
    /// </summary>
    internal static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    private enum Tag : byte { Empty = 0, Int64 = 1, Int32 = 2, Double = 3, String = 4, Boolean = 5, Byte = 6, Single = 7, Json = 9, None = 10 }

    public static bool IsBuiltIn(Type type) =>
        type == typeof(long) || type == typeof(int) || type == typeof(double) || type == typeof(string)
        || type == typeof(bool) || type == typeof(byte) || type == typeof(float);

    /// <summary>Writes <paramref name="array"/> whole, or that there is none.</summary>
    public static void Write(BinaryWriter writer, Array? array)
    {
        if (array is null) writer.Write((byte)Tag.None);
        else Write(writer, ArrayRegion.Of(array));
    }

    public static void Write(BinaryWriter writer, ArrayRegion region)
    {
        // By exact type: the runtime also takes an enum[] (or a uint[]) for an int[], which would
        // then come back as numbers of another type.
        switch (IsBuiltIn(region.ElementType) ? region.Array : null)
        {
            case long[] a: WriteBlittable(writer, Tag.Int64, a.AsSpan(region.Offset, region.Count)); break;
            case int[] a: WriteBlittable(writer, Tag.Int32, a.AsSpan(region.Offset, region.Count)); break;
            case double[] a: WriteBlittable(writer, Tag.Double, a.AsSpan(region.Offset, region.Count)); break;
            case float[] a: WriteBlittable(writer, Tag.Single, a.AsSpan(region.Offset, region.Count)); break;
            case bool[] a: WriteBlittable(writer, Tag.Boolean, a.AsSpan(region.Offset, region.Count)); break;
            case byte[] a: WriteBlittable(writer, Tag.Byte, a.AsSpan(region.Offset, region.Count)); break;
            case string?[] a:
                writer.Write((byte)Tag.String);
                writer.Write(region.Count);
                foreach (var item in a.AsSpan(region.Offset, region.Count))
                {
                    writer.Write(item is not null);
                    if (item is not null) writer.Write(item);
                }
                break;
            default:
                if (region.Count == 0 && region.ElementType == typeof(object))
                {
                    writer.Write((byte)Tag.Empty);
                    break;
                }
                writer.Write((byte)Tag.Json);
                writer.Write(WireTypes.NameOf(region.ElementType));
                var json = Serialize(region);
                writer.Write(json.Length);
                writer.Write(json);
                break;
        }
    }

    /// <summary>How many bytes <see cref="Write(BinaryWriter, ArrayRegion)"/> would write, or why it could not.</summary>
    public static (long Bytes, string? Error) Measure(ArrayRegion region)
    {
        const long header = 1 + 4; // tag and count
        switch (IsBuiltIn(region.ElementType) ? region.Array : null)
        {
            case long[] or int[] or double[] or float[] or bool[] or byte[]:
                return (header + (long)region.Count * (System.Buffer.ByteLength(region.Array) / Math.Max(1, region.Array.Length)), null);
            case string?[] strings:
                long bytes = header;
                foreach (var item in strings.AsSpan(region.Offset, region.Count))
                {
                    bytes += 1;
                    if (item is null) continue;
                    var length = System.Text.Encoding.UTF8.GetByteCount(item);
                    bytes += length + (length < 128 ? 1 : length < 16_384 ? 2 : length < 2_097_152 ? 3 : 5);
                }
                return (bytes, null);
            default:
                if (region.Count == 0 && region.ElementType == typeof(object)) return (1, null);
                try
                {
                    return (header + WireTypes.NameOf(region.ElementType).Length + 5 + Serialize(region).Length, null);
                }
                catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
                {
                    return (0, $"{e.GetType().Name}: {e.Message}");
                }
        }
    }

    /// <summary>Reads what <see cref="Write(BinaryWriter, Array)"/> wrote: a typed array of its own, or null.</summary>
    public static Array? Read(BinaryReader reader, WireTypes types)
    {
        var tag = (Tag)reader.ReadByte();
        switch (tag)
        {
            case Tag.None: return null;
            case Tag.Empty: return Array.Empty<object>();
            case Tag.Int64: return ReadBlittable<long>(reader);
            case Tag.Int32: return ReadBlittable<int>(reader);
            case Tag.Double: return ReadBlittable<double>(reader);
            case Tag.Single: return ReadBlittable<float>(reader);
            case Tag.Boolean: return ReadBlittable<bool>(reader);
            case Tag.Byte: return ReadBlittable<byte>(reader);
            case Tag.String:
                var strings = new string?[Count(reader, bytesEach: 1)];
                for (var i = 0; i < strings.Length; i++) strings[i] = reader.ReadBoolean() ? reader.ReadString() : null;
                return strings;
            case Tag.Json:
                var elementType = types.Resolve(reader.ReadString());
                var json = reader.ReadBytes(Count(reader, bytesEach: 1));
                return (Array)JsonSerializer.Deserialize(json, elementType.MakeArrayType(), Json)!;
            default:
                throw new System.Runtime.Serialization.SerializationException($"unknown payload tag {(byte)tag}");
        }
    }

    /// <summary>Reads a payload that must be there.</summary>
    public static Array ReadRequired(BinaryReader reader, WireTypes types) =>
        Read(reader, types) ?? throw new System.Runtime.Serialization.SerializationException("a payload that must be there is missing");

    private static byte[] Serialize(ArrayRegion region)
    {
        var array = region.ToArray();
        return JsonSerializer.SerializeToUtf8Bytes(array, array.GetType(), Json);
    }

    /// <summary>
    /// Reads a count and checks it against the bytes that are left: a length read off the wire is
    /// never trusted to size an allocation (a short message could otherwise ask for gigabytes).
    /// </summary>
    private static int Count(BinaryReader reader, int bytesEach)
    {
        var count = reader.ReadInt32();
        var left = reader.BaseStream.Length - reader.BaseStream.Position;
        if (count < 0 || (long)count * bytesEach > left)
            throw new System.Runtime.Serialization.SerializationException($"a payload claims {count} items, but only {left} bytes are left in the message");
        return count;
    }

    private static void WriteBlittable<T>(BinaryWriter writer, Tag tag, ReadOnlySpan<T> items) where T : unmanaged
    {
        writer.Write((byte)tag);
        writer.Write(items.Length);
        writer.Write(MemoryMarshal.AsBytes(items));
    }

    private static T[] ReadBlittable<T>(BinaryReader reader) where T : unmanaged
    {
        var array = new T[Count(reader, System.Runtime.CompilerServices.Unsafe.SizeOf<T>())];
        var bytes = MemoryMarshal.AsBytes(array.AsSpan());
        reader.BaseStream.ReadExactly(bytes);
        return array;
    }
}
