using System.Runtime.InteropServices;
using System.Text.Json;

namespace Actors.Serialization;

/// <summary>
/// Writes job inputs and outputs, always typed arrays: primitives are copied as raw bytes, strings
/// as UTF-8, registered record types as System.Text.Json.
/// </summary>
internal static class PayloadCodec
{
    private enum Tag : byte { Empty = 0, Int64 = 1, Int32 = 2, Double = 3, String = 4, Boolean = 5, Byte = 6, Single = 7, Json = 9 }

    public static bool IsBuiltIn(Type type) =>
        type == typeof(long) || type == typeof(int) || type == typeof(double) || type == typeof(string)
        || type == typeof(bool) || type == typeof(byte) || type == typeof(float);

    public static void Write(BinaryWriter writer, Array array)
    {
        switch (array)
        {
            case long[] a: WriteBlittable(writer, Tag.Int64, a); break;
            case int[] a: WriteBlittable(writer, Tag.Int32, a); break;
            case double[] a: WriteBlittable(writer, Tag.Double, a); break;
            case float[] a: WriteBlittable(writer, Tag.Single, a); break;
            case bool[] a: WriteBlittable(writer, Tag.Boolean, a); break;
            case byte[] a: WriteBlittable(writer, Tag.Byte, a); break;
            case string?[] a:
                writer.Write((byte)Tag.String);
                writer.Write(a.Length);
                foreach (var item in a)
                {
                    writer.Write(item is not null);
                    if (item is not null) writer.Write(item);
                }
                break;
            case { Length: 0 } when array.GetType().GetElementType() == typeof(object):
                writer.Write((byte)Tag.Empty);
                break;
            default:
                var elementType = array.GetType().GetElementType()!;
                writer.Write((byte)Tag.Json);
                writer.Write(WireTypes.NameOf(elementType));
                var json = JsonSerializer.SerializeToUtf8Bytes(array, array.GetType());
                writer.Write(json.Length);
                writer.Write(json);
                break;
        }
    }

    public static Array Read(BinaryReader reader, WireTypes types)
    {
        var tag = (Tag)reader.ReadByte();
        switch (tag)
        {
            case Tag.Empty: return Array.Empty<object>();
            case Tag.Int64: return ReadBlittable<long>(reader);
            case Tag.Int32: return ReadBlittable<int>(reader);
            case Tag.Double: return ReadBlittable<double>(reader);
            case Tag.Single: return ReadBlittable<float>(reader);
            case Tag.Boolean: return ReadBlittable<bool>(reader);
            case Tag.Byte: return ReadBlittable<byte>(reader);
            case Tag.String:
                var strings = new string?[reader.ReadInt32()];
                for (var i = 0; i < strings.Length; i++) strings[i] = reader.ReadBoolean() ? reader.ReadString() : null;
                return strings;
            case Tag.Json:
                var elementType = types.Resolve(reader.ReadString());
                var json = reader.ReadBytes(reader.ReadInt32());
                return (Array)JsonSerializer.Deserialize(json, elementType.MakeArrayType())!;
            default:
                throw new System.Runtime.Serialization.SerializationException($"unknown payload tag {(byte)tag}");
        }
    }

    private static void WriteBlittable<T>(BinaryWriter writer, Tag tag, T[] array) where T : unmanaged
    {
        writer.Write((byte)tag);
        writer.Write(array.Length);
        writer.Write(MemoryMarshal.AsBytes(array.AsSpan()));
    }

    private static T[] ReadBlittable<T>(BinaryReader reader) where T : unmanaged
    {
        var array = new T[reader.ReadInt32()];
        var bytes = MemoryMarshal.AsBytes(array.AsSpan());
        reader.BaseStream.ReadExactly(bytes);
        return array;
    }
}
