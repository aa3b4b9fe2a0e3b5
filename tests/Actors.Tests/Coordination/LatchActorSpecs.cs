using Akka.Actor;
using Actors.Coordination;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Coordination;

public sealed class LatchActorSpecs : TestKit
{
    [Fact]
    public async Task Latch_must_hold_every_waiter_until_it_is_set_and_then_release_them_all()
    {
        var latch = Sys.ActorOf(LatchActor.Props());
        var waiters = Enumerable.Range(0, 3).Select(_ => CreateTestProbe()).ToList();
        waiters.ForEach(waiter => latch.Tell(AwaitLatch.Instance, waiter));

        // The query is handled after the three waits, so its answer shows them held, none answered.
        latch.Tell(GetLatchState.Instance);
        await ExpectMsgAsync(new LatchState(false, 3));
        Assert.All(waiters, waiter => Assert.False(waiter.HasMessages, "a waiter was released before the latch was set"));

        latch.Tell(SetLatch.Instance);
        foreach (var waiter in waiters) await waiter.ExpectMsgAsync(LatchSet.Instance);
        latch.Tell(GetLatchState.Instance);
        await ExpectMsgAsync(new LatchState(true, 0));
    }

    [Fact]
    public async Task Latch_must_answer_a_waiter_that_arrives_after_the_set_at_once()
    {
        var latch = Sys.ActorOf(LatchActor.Props());
        latch.Tell(SetLatch.Instance);

        latch.Tell(AwaitLatch.Instance);

        await ExpectMsgAsync(LatchSet.Instance);
    }

    [Fact]
    public async Task Latch_must_hold_waiters_again_once_it_is_cleared()
    {
        var latch = Sys.ActorOf(LatchActor.Props(initiallySet: true));
        latch.Tell(ClearLatch.Instance);
        var waiter = CreateTestProbe();

        latch.Tell(AwaitLatch.Instance, waiter);
        latch.Tell(GetLatchState.Instance);
        await ExpectMsgAsync(new LatchState(false, 1));
        Assert.False(waiter.HasMessages, "a cleared latch released a waiter");

        latch.Tell(SetLatch.Instance);
        await waiter.ExpectMsgAsync(LatchSet.Instance);
    }

    [Fact]
    public async Task EventStream_must_not_replay_an_event_to_a_subscriber_that_came_after_it()
    {
        // The contrast that makes the latch necessary: the EventStream forgets.
        var late = CreateTestProbe();
        Sys.EventStream.Publish(new Opened("before"));
        Sys.EventStream.Subscribe(late.Ref, typeof(Opened));

        Sys.EventStream.Publish(new Opened("after"));

        Assert.Equal(new Opened("after"), await late.ExpectMsgAsync<Opened>());
    }

    private sealed record Opened(string When);
}
