using Akka.Actor;
using Akka.TestKit.Xunit2;
using SharedState;
using SharedState.Counter;
using SharedState.Locks;
using Xunit.Abstractions;

namespace Actors.Tests.State;

/// <summary>The Lock row: a counter owned by an actor, incremented by two producer threads.</summary>
public sealed class CounterActorSpecs : TestKit
{
    private readonly ITestOutputHelper _output;

    public CounterActorSpecs(ITestOutputHelper output) : base(output: output) => _output = output;

    [Fact]
    public async Task Counter_must_count_exactly_two_million_increments_from_two_producers_without_a_lock()
    {
        var result = await LockRow.RunAsync(Sys, SharedStateSettings.Default);

        Assert.Equal(2_000_000, result.Expected);
        Assert.Equal(2_000_000, result.Actor.Total);
        Assert.Equal([1_000_000L, 1_000_000L], result.Actor.Slots);
        Assert.Equal(0, result.Actor.Refused);
        // The unguarded int is only reported: on two cores the race may or may not strike.
        Assert.InRange(result.Unguarded, 1, result.Expected);
        _output.WriteLine(string.Join(Environment.NewLine, result.Describe()));
    }

    [Fact]
    public async Task Counter_must_refuse_an_increment_for_a_slot_it_lacks_and_keep_its_count()
    {
        var counter = Sys.ActorOf(CounterActor.Props(2));
        counter.Tell(new Increment(1));
        counter.Tell(new Increment(2));
        counter.Tell(new Increment(-1));
        counter.Tell(new Increment(0));

        counter.Tell(GetCount.Instance);

        var count = await ExpectMsgAsync<CountIs>();
        Assert.Equal(2, count.Total);
        Assert.Equal([1L, 1L], count.Slots);
        Assert.Equal(2, count.Refused);
    }

    [Fact]
    public void Counter_messages_must_survive_their_serializer()
    {
        var system = (ExtendedActorSystem)Sys;
        var serializer = new CounterSerializer(system);
        object[] messages = [new Increment(3), GetCount.Instance, new CountIs(7, [3L, 4L], 1)];

        var copies = messages.Select(m => serializer.FromBinary(serializer.ToBinary(m), serializer.Manifest(m))).ToList();

        Assert.Equal(messages[0], copies[0]);
        Assert.Same(GetCount.Instance, copies[1]);
        var count = Assert.IsType<CountIs>(copies[2]);
        Assert.Equal((7L, 1L), (count.Total, count.Refused));
        Assert.Equal([3L, 4L], count.Slots);
    }
}
