using Akka.Actor;
using Actors.Coordination;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Coordination;

public sealed class BarrierActorSpecs : TestKit
{
    [Fact]
    public async Task Barrier_must_hold_every_party_until_the_last_one_arrives_and_release_them_together()
    {
        var barrier = Sys.ActorOf(BarrierActor.Props(3));
        var parties = Enumerable.Range(0, 3).Select(_ => CreateTestProbe()).ToList();

        barrier.Tell(ArriveAtBarrier.Instance, parties[0]);
        barrier.Tell(ArriveAtBarrier.Instance, parties[1]);
        barrier.Tell(GetBarrierState.Instance);
        await ExpectMsgAsync(new BarrierState(3, 2, 0));
        Assert.False(parties[0].HasMessages || parties[1].HasMessages, "a party passed before the last one arrived");

        barrier.Tell(ArriveAtBarrier.Instance, parties[2]);

        for (var i = 0; i < 3; i++) Assert.Equal(new BarrierPassed(0, i), await parties[i].ExpectMsgAsync<BarrierPassed>());
    }

    [Fact]
    public async Task Barrier_must_start_a_new_generation_once_it_has_opened()
    {
        var barrier = Sys.ActorOf(BarrierActor.Props(2));
        var other = CreateTestProbe();
        for (var generation = 0; generation < 3; generation++)
        {
            barrier.Tell(ArriveAtBarrier.Instance, other);
            barrier.Tell(ArriveAtBarrier.Instance);
            Assert.Equal(generation, (await other.ExpectMsgAsync<BarrierPassed>()).Generation);
            Assert.Equal(generation, (await ExpectMsgAsync<BarrierPassed>()).Generation);
        }

        barrier.Tell(GetBarrierState.Instance);
        await ExpectMsgAsync(new BarrierState(2, 0, 3));
    }

    [Fact]
    public void Barrier_must_refuse_fewer_than_one_party() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BarrierActor.Props(0));
}
