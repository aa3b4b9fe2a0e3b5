using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace SharedState.Counter;

/// <summary>
/// What a user writes so that the counter can be reached from other processes without letting
/// arbitrary types off the wire: a fixed binary layout per message, read only by manifest.
/// Bound in <c>shared-state.conf</c> (<c>remote-node</c>).
/// </summary>
public sealed class CounterSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    // Not one of the library's (1848 to 1850, reference.conf): two serializers with one identifier replace each other.
    public override int Identifier => 1860;

    public override string Manifest(object o) => o switch
    {
        Increment => "I",
        GetCount => "G",
        CountIs => "C",
        _ => throw new ArgumentException($"{o.GetType()} is not a counter message.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        switch (obj)
        {
            case Increment m: return BitConverter.GetBytes(m.Slot);
            case GetCount: return [];
            case CountIs m:
                using (var stream = new MemoryStream())
                {
                    using (var w = new BinaryWriter(stream))
                    {
                        w.Write(m.Total);
                        w.Write(m.Refused);
                        w.Write(m.Slots.Count);
                        foreach (var slot in m.Slots) w.Write(slot);
                    }
                    return stream.ToArray();
                }
            default: throw new ArgumentException($"{obj.GetType()} is not a counter message.", nameof(obj));
        }
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        switch (manifest)
        {
            case "I": return new Increment(BitConverter.ToInt32(bytes));
            case "G": return GetCount.Instance;
            case "C":
                using (var r = new BinaryReader(new MemoryStream(bytes)))
                {
                    var total = r.ReadInt64();
                    var refused = r.ReadInt64();
                    var count = r.ReadInt32();
                    if (count < 0 || count > (bytes.Length - 20) / 8) throw new SerializationException($"CountIs claims {count} slots in {bytes.Length} bytes");
                    var slots = new long[count];
                    for (var i = 0; i < count; i++) slots[i] = r.ReadInt64();
                    return new CountIs(total, slots, refused);
                }
            default: throw new SerializationException($"unknown manifest '{manifest}' for {nameof(CounterSerializer)}");
        }
    }
}
