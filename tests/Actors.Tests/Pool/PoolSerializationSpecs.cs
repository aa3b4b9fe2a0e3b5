using System.Collections;
using System.Runtime.Serialization;
using Actors.Pool;
using Actors.Protocol;
using Actors.Serialization;
using Akka.Actor;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

public sealed class PoolSerializationSpecs(ITestOutputHelper output) : PoolSpec("", output)
{
    [Fact]
    public void Serializer_must_round_trip_every_wire_message()
    {
        WireTypes.For(Sys).Register(typeof(Point));
        object[] messages =
        [
            new RunChunk(4, "Actors.Jobs.SquareJob, Actors.Core", new int[] { 1, 2, 3 }),
            new RunChunk(4, "job", new double[] { 0.5, double.NaN, double.NegativeInfinity }),
            new RunChunk(long.MaxValue, "job", new long[] { 0, -1, long.MaxValue, long.MinValue }),
            new RunChunk(2, "job", new string?[] { "a", "", null, "ünïcødé" }),
            new RunChunk(2, "job", new Point[] { new(1, "one"), new(-2, null) }),
            new RunChunk(2, "job", Array.Empty<Point>()),
            new ChunkCompleted(6, new bool[] { true, false }, 1234),
            new ChunkCompleted(6, new byte[] { 0, 255 }, 1234),
            new ChunkCompleted(6, new float[] { 1.5f }, 1234),
            new ChunkCompleted(6, new Point[] { new(3, "three") }, 7),
            new ChunkFailed(7, 2, new long[] { 1, 4 }, JobError.Of("System.InvalidOperationException", "bad input"), Retryable: true, 99),
            new ChunkFailed(7, 0, Array.Empty<object>(), JobError.Of("UnknownJobException", "no such job"), Retryable: false, 99),
            new CancelChunk(8),
            new Probe(long.MaxValue),
            new Probed(3),
            new ChunkRefused(9, "its payload is 5,000,000 bytes, more than a message may carry", 99),
            new WorkersListed([TestActor, CreateTestProbe().Ref], 1234),
        ];

        foreach (var message in messages)
        {
            var copy = RoundTrip(message);
            Assert.Equal(message.GetType(), copy.GetType());
            foreach (var property in message.GetType().GetProperties())
                AssertSameValue(property.Name, property.GetValue(message), property.GetValue(copy));
        }
    }

    [Fact]
    public void Serializer_must_carry_NaN_and_infinities_unchanged_inside_records_and_tuples()
    {
        WireTypes.For(Sys).Register(typeof(Reading));
        WireTypes.For(Sys).Register(typeof((double, double)));
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity];

        var records = (ChunkCompleted)RoundTrip(new ChunkCompleted(6, specials.Select(value => new Reading(value)).ToArray(), 7));
        var tuples = (RunChunk)RoundTrip(new RunChunk(2, "job", new[] { (double.NaN, double.PositiveInfinity), (double.NegativeInfinity, 1.5) }));

        Assert.Equal(specials, ((Reading[])records.Outputs!).Select(reading => reading.Value));
        Assert.Equal([(double.NaN, double.PositiveInfinity), (double.NegativeInfinity, 1.5)], ((double, double)[])tuples.Inputs.ToArray());
        Assert.Null(WireLimits.For(Sys).Check(new[] { new Reading(double.NaN) }));
    }

    [Fact]
    public void A_payload_the_serializer_cannot_write_must_be_refused_with_its_real_cause_not_as_too_large()
    {
        var problem = WireLimits.For(Sys).Check(new[] { new Unwritable(-3) });

        Assert.NotNull(problem);
        Assert.Contains("cannot be serialized: InvalidOperationException: unwritable value -3", problem);
        Assert.DoesNotContain("bytes", problem);
    }

    [Fact]
    public void Local_pool_messages_must_never_need_a_serializer()
    {
        // The caller's and the membership's messages stay in the process: under serialize-messages
        // they are exempt, and nothing binds them to the wire.
        Assert.True(Sys.Settings.SerializeAllMessages); // as in every pool spec
        object[] local =
        [
            new SubmitChunk(1, 0, new long[] { 1 }), new EndJob(1), GetPoolStatus.Instance, new PoolStatus(1, 0, 2, 0, 0, 0, 0),
            new ResultsReady(1, 0, 1, new long[] { 1 }, 1), new WorkersAdded([TestActor]), new NoWorkersLeft("none"),
        ];
        Assert.All(local, message => Assert.IsAssignableFrom<INoSerializationVerificationNeeded>(message));
    }

    [Fact]
    public void Serializer_must_refuse_a_record_type_that_was_not_registered()
    {
        var message = new RunChunk(1, "job", new Unlisted[] { new(1) });
        var serializer = Sys.Serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);

        var e = Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest));
        Assert.Contains(typeof(Unlisted).FullName!, e.Message);
        Assert.Contains("not a registered", e.Message);
    }

    [Fact]
    public void Serializer_must_round_trip_the_worker_listing_question_as_its_one_instance()
    {
        Assert.Same(ListWorkers.Instance, RoundTrip(ListWorkers.Instance));
    }

    [Fact]
    public void Serializer_must_refuse_a_payload_that_claims_more_items_than_its_bytes_hold()
    {
        var message = new RunChunk(1, "job", new long[] { 1, 2, 3 });
        var serializer = Sys.Serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        // The count of the long[] sits after the chunk id (8 bytes), the job name (1 + 3) and the tag (1).
        BitConverter.GetBytes(400_000_000).CopyTo(bytes, 13);

        var e = Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize(bytes, serializer.Identifier, "R"));
        Assert.Contains("claims 400000000 items", e.Message);
    }

    private object RoundTrip(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.True(serializer is ActorsSerializer, $"{message.GetType().Name} is bound to {serializer.GetType().Name}");
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest);
    }

    private static void AssertSameValue(string name, object? expected, object? actual)
    {
        switch (expected)
        {
            case Actors.Protocol.ArrayRegion region:
                AssertSameValue(name, region.ToArray(), ((Actors.Protocol.ArrayRegion)actual!).ToArray());
                break;
            case Array array:
                Assert.Equal(array.GetType(), actual?.GetType());
                Assert.Equal(array.Cast<object?>(), ((IEnumerable)actual!).Cast<object?>());
                break;
            case IEnumerable<IActorRef> actors:
                Assert.Equal(actors, (IEnumerable<IActorRef>)actual!);
                break;
            default:
                Assert.True(Equals(expected, actual), $"{name}: expected {expected}, got {actual}");
                break;
        }
    }
}
