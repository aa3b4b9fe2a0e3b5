using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace Actors.Coordination;

/// <summary>
/// Carries the coordination messages (<see cref="ICoordinationMessage"/>) across processes, so a
/// latch or barrier in one process serves parties in others. It reads only the types it knows by
/// manifest. Kept apart from <see cref="Serialization.ActorsSerializer"/>: the two protocols change independently.
/// </summary>
internal sealed class CoordinationSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Chosen once; it must never change, as both ends of a wire must agree on it.</summary>
    public override int Identifier => 1849;

    public override string Manifest(object o) => o switch
    {
        SetLatch => "LS",
        ClearLatch => "LC",
        AwaitLatch => "LA",
        LatchSet => "LD",
        GetLatchState => "LG",
        LatchState => "LT",
        ArriveAtBarrier => "BA",
        BarrierPassed => "BP",
        GetBarrierState => "BG",
        BarrierState => "BS",
        _ => throw new ArgumentException($"{o.GetType()} is not a coordination message.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            switch (obj)
            {
                case SetLatch or ClearLatch or AwaitLatch or LatchSet or GetLatchState or ArriveAtBarrier or GetBarrierState: break;
                case LatchState m: w.Write(m.IsSet); w.Write(m.Waiting); break;
                case BarrierPassed m: w.Write(m.Generation); w.Write(m.Arrival); break;
                case BarrierState m: w.Write(m.Parties); w.Write(m.Waiting); w.Write(m.Generation); break;
                default: throw new ArgumentException($"{obj.GetType()} is not a coordination message.", nameof(obj));
            }
        }
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        return manifest switch
        {
            "LS" => SetLatch.Instance,
            "LC" => ClearLatch.Instance,
            "LA" => AwaitLatch.Instance,
            "LD" => LatchSet.Instance,
            "LG" => GetLatchState.Instance,
            "LT" => new LatchState(r.ReadBoolean(), r.ReadInt32()),
            "BA" => ArriveAtBarrier.Instance,
            "BP" => new BarrierPassed(r.ReadInt64(), r.ReadInt32()),
            "BG" => GetBarrierState.Instance,
            "BS" => new BarrierState(r.ReadInt32(), r.ReadInt32(), r.ReadInt64()),
            _ => throw new SerializationException($"unknown manifest '{manifest}' for {nameof(CoordinationSerializer)}"),
        };
    }
}
