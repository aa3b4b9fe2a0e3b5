using System.Runtime.InteropServices;
using System.Runtime.Serialization;
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
    /// <remarks>
    /// NaN and ±Infinity are valid doubles: written as the JSON strings <c>"NaN"</c>,
    /// <c>"Infinity"</c> and <c>"-Infinity"</c>, they cross the wire unchanged (plain JSON has no number for them).
    /// </remarks>
    internal static readonly JsonSerializerOptions Json = new()
    {
        IncludeFields = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private enum Tag : byte { Empty = 0, Int64 = 1, Int32 = 2, Double = 3, String = 4, Boolean = 5, Byte = 6, Single = 7, Json = 9, None = 10 }

    public static bool IsBuiltIn(Type type) =>
        type == typeof(long) || type == typeof(int) || type == typeof(double) || type == typeof(string)
        || type == typeof(bool) || type == typeof(byte) || type == typeof(float);

    /// <summary>Writes <paramref name="array"/> whole, or that there is none.</summary>
    public static void Write<TOut>(ref TOut output, Array? array, JsonPayloads json) where TOut : IWireOutput, allows ref struct
    {
        if (array is null) output.Byte((byte)Tag.None);
        else Write(ref output, ArrayRegion.Of(array), json);
    }

    /// <summary>Writes a region; a payload of a registered type is serialized once, in the sizing pass (<paramref name="json"/>).</summary>
    public static void Write<TOut>(ref TOut output, ArrayRegion region, JsonPayloads json) where TOut : IWireOutput, allows ref struct
    {
        // By exact type: the runtime also takes an enum[] (or a uint[]) for an int[], which would
        // then come back as numbers of another type.
        switch (IsBuiltIn(region.ElementType) ? region.Array : null)
        {
            case long[] a: WriteBlittable(ref output, Tag.Int64, a.AsSpan(region.Offset, region.Count)); break;
            case int[] a: WriteBlittable(ref output, Tag.Int32, a.AsSpan(region.Offset, region.Count)); break;
            case double[] a: WriteBlittable(ref output, Tag.Double, a.AsSpan(region.Offset, region.Count)); break;
            case float[] a: WriteBlittable(ref output, Tag.Single, a.AsSpan(region.Offset, region.Count)); break;
            case bool[] a: WriteBlittable(ref output, Tag.Boolean, a.AsSpan(region.Offset, region.Count)); break;
            case byte[] a: WriteBlittable(ref output, Tag.Byte, a.AsSpan(region.Offset, region.Count)); break;
            case string?[] a:
                output.Byte((byte)Tag.String);
                output.Int32(region.Count);
                foreach (var item in a.AsSpan(region.Offset, region.Count))
                {
                    output.Boolean(item is not null);
                    if (item is not null) output.String(item);
                }
                break;
            default:
                if (region.Count == 0 && region.ElementType == typeof(object))
                {
                    output.Byte((byte)Tag.Empty);
                    break;
                }
                output.Byte((byte)Tag.Json);
                output.String(WireTypes.NameOf(region.ElementType));
                var bytes = json.For(region);
                output.Int32(bytes.Length);
                output.Raw(bytes);
                break;
        }
    }

    /// <summary>How many bytes <see cref="Write{TOut}(ref TOut, ArrayRegion, JsonPayloads)"/> would write, or why it could not.</summary>
    public static (long Bytes, string? Error) Measure(ArrayRegion region)
    {
        var size = new WireSize();
        try
        {
            Write(ref size, region, new JsonPayloads());
            return (size.Bytes, null);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return (0, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Reads what <see cref="Write{TOut}(ref TOut, Array, JsonPayloads)"/> wrote: a typed array of its own, or null.</summary>
    public static Array? Read(ref WireReader reader, WireTypes types)
    {
        var tag = (Tag)reader.Byte();
        switch (tag)
        {
            case Tag.None: return null;
            case Tag.Empty: return Array.Empty<object>();
            case Tag.Int64: return ReadBlittable<long>(ref reader);
            case Tag.Int32: return ReadBlittable<int>(ref reader);
            case Tag.Double: return ReadBlittable<double>(ref reader);
            case Tag.Single: return ReadBlittable<float>(ref reader);
            case Tag.Boolean: return ReadBlittable<bool>(ref reader);
            case Tag.Byte: return ReadBlittable<byte>(ref reader);
            case Tag.String:
                var strings = new string?[reader.Count(bytesEach: 1, "a payload")];
                for (var i = 0; i < strings.Length; i++) strings[i] = reader.Boolean() ? reader.String() : null;
                return strings;
            case Tag.Json:
                var elementType = types.Resolve(reader.String());
                var json = reader.Bytes(reader.Count(bytesEach: 1, "a payload"), "a payload's JSON");
                return (Array)JsonSerializer.Deserialize(json, elementType.MakeArrayType(), Json)!;
            default:
                throw new SerializationException($"unknown payload tag {(byte)tag}");
        }
    }

    /// <summary>Reads a payload that must be there.</summary>
    public static Array ReadRequired(ref WireReader reader, WireTypes types) =>
        Read(ref reader, types) ?? throw new SerializationException("a payload that must be there is missing");

    private static void WriteBlittable<TOut, T>(ref TOut output, Tag tag, ReadOnlySpan<T> items) where TOut : IWireOutput, allows ref struct where T : unmanaged
    {
        output.Byte((byte)tag);
        output.Int32(items.Length);
        output.Raw(MemoryMarshal.AsBytes(items));
    }

    private static T[] ReadBlittable<T>(ref WireReader reader) where T : unmanaged
    {
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        // Every item is copied in below: no need to clear them first.
        var array = GC.AllocateUninitializedArray<T>(reader.Count(size, "a payload"));
        var bytes = reader.Bytes(array.Length * size, "a payload's items");
        if (typeof(T) == typeof(bool) && bytes.IndexOfAnyExcept((byte)0, (byte)1) >= 0)
            throw new SerializationException("a payload of flags holds a byte that is neither 0 nor 1");
        bytes.CopyTo(MemoryMarshal.AsBytes(array.AsSpan()));
        return array;
    }
}

/// <summary>
/// The JSON of a message's payloads of registered types: made in the sizing pass, reused in the
/// writing pass (each payload is asked for in the same order in both), so it is serialized once.
/// </summary>
internal sealed class JsonPayloads
{
    private List<byte[]>? _made;
    private int _next;

    /// <summary>The JSON of <paramref name="region"/>: made now on the first pass, taken from the first pass on the second.</summary>
    public byte[] For(ArrayRegion region)
    {
        _made ??= new List<byte[]>();
        if (_next == _made.Count)
        {
            var array = region.ToArray();
            _made.Add(JsonSerializer.SerializeToUtf8Bytes(array, array.GetType(), PayloadCodec.Json));
        }
        return _made[_next++];
    }

    /// <summary>Starts the second pass.</summary>
    public void Rewind() => _next = 0;
}
