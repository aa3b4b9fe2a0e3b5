using Akka.TestKit.Xunit2;
using SharedState;
using SharedState.Barriers;
using SharedState.Events;
using SharedState.Queues;

namespace Actors.Tests.State;

/// <summary>The Event, Barrier and Queue rows as the demo runs them (their actors have specs of their own).</summary>
public sealed class StateRowSpecs : TestKit
{
    [Fact]
    public async Task The_event_row_must_release_every_waiter_answer_a_late_one_and_show_the_EventStream_forgetting()
    {
        var result = await EventRow.RunAsync(Sys, SharedStateSettings.Default);

        Assert.Equal(EventRow.Waiters, result.WaitingBeforeSet);
        Assert.Equal(EventRow.Waiters, result.ReleasedBySet);
        Assert.True(result.LateWaiterAnswered);
        Assert.Equal("marker", result.LateSubscriberFirstSaw);
    }

    [Fact]
    public async Task The_barrier_row_must_let_nobody_through_before_the_last_party_and_meet_twice()
    {
        var result = await BarrierRow.RunAsync(Sys, SharedStateSettings.Default);

        Assert.Equal(0, result.PassedBeforeLast);
        Assert.Equal(Enumerable.Range(0, BarrierRow.Parties), result.Passed.Select(p => p.Arrival));
        Assert.All(result.Passed, passed => Assert.Equal(0, passed.Generation));
        Assert.Equal(1, result.SecondGeneration);
    }

    [Fact]
    public async Task The_queue_row_must_deliver_every_number_from_both_producers_exactly_once()
    {
        var result = await QueueRow.RunAsync(Sys, SharedStateSettings.Default);

        Assert.Equal(result.ExpectedCount, result.Count);
        Assert.Equal(result.ExpectedSum, result.Sum);
    }
}
