using System.Runtime.Serialization;
using Actors.Configuration;
using Actors.Coordination;
using Actors.Serialization;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Serialization;

public sealed class CoordinationSerializerSpecs() : TestKit(ActorsConfig.Defaults)
{
    public static TheoryData<ICoordinationMessage> Messages() =>
    [
        SetLatch.Instance, ClearLatch.Instance, AwaitLatch.Instance, LatchSet.Instance, GetLatchState.Instance,
        new LatchState(true, 7), ArriveAtBarrier.Instance, new BarrierPassed(long.MaxValue, 2), GetBarrierState.Instance,
        new BarrierState(3, 1, 42),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Coordination_messages_must_be_bound_to_their_serializer_and_survive_a_round_trip(ICoordinationMessage message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<CoordinationSerializer>(serializer);
        var coordination = (CoordinationSerializer)serializer;

        var copy = coordination.FromBinary(coordination.ToBinary(message), coordination.Manifest(message));

        Assert.Equal(message, copy);
    }

    [Fact]
    public void Coordination_serializer_must_refuse_a_manifest_it_does_not_know()
    {
        var serializer = (CoordinationSerializer)Sys.Serialization.FindSerializerFor(SetLatch.Instance);

        Assert.Throws<SerializationException>(() => serializer.FromBinary([], "System.Object"));
    }
}
