using System.Collections;
using System.Runtime.Serialization;
using Actors.Pool;
using Actors.Processes;
using Actors.Serialization;
using Akka.Actor;
using Xunit.Abstractions;

namespace Actors.Tests.Pool;

public sealed class PoolSerializationSpecs(ITestOutputHelper output) : PoolSpec("", output)
{
    [Fact]
    public void Serializer_must_round_trip_every_pool_message()
    {
        Assert.True(Sys.Settings.SerializeAllMessages); // as in every pool spec
        WireTypes.For(Sys).Register(typeof(Point));
        var other = CreateTestProbe().Ref;
        object[] messages =
        [
            new StartJob(1, "Actors.Jobs.SquareJob, Actors.Core", 3, TimeSpan.FromMilliseconds(1500), TestActor),
            new StartJob(long.MaxValue, "job", 1, null, other),
            new SubmitChunk(2, 10, new long[] { 0, -1, long.MaxValue, long.MinValue }),
            new SubmitChunk(2, 0, new string?[] { "a", "", null, "ünïcødé" }),
            new SubmitChunk(2, 3, new Point[] { new(1, "one"), new(-2, null) }),
            new SubmitChunk(2, 3, Array.Empty<Point>()),
            new EndJob(3),
            new RunChunk(4, "Actors.Jobs.SquareJob, Actors.Core", new int[] { 1, 2, 3 }, Acknowledge: true),
            new RunChunk(4, "job", new double[] { 0.5, double.NaN, double.NegativeInfinity }, Acknowledge: false),
            new ChunkStarted(5),
            new ChunkCompleted(6, new bool[] { true, false }, 1234),
            new ChunkCompleted(6, new byte[] { 0, 255 }, 1234),
            new ChunkCompleted(6, new float[] { 1.5f }, 1234),
            new ChunkFailed(7, 2, new long[] { 1, 4 }, "System.InvalidOperationException", "bad input", Retryable: true, 99),
            new ChunkFailed(7, 0, Array.Empty<object>(), "UnknownJobException", "no such job", Retryable: false, 99),
            new ResultsReady(8, 100, new string?[] { "x" }, 7),
            new ResultsReady(8, 100, new Point[] { new(3, "three") }, 7),
            new InputFailed(9, 5, "-7", "System.InvalidOperationException", "refused", 3),
            GetPoolStatus.Instance,
            new PoolStatus(4, 3, 8, 12, 1, 17, 2),
            new PoolStatus(0, 0, 2, 0, 0, 0, 1, Recovering: true),
            new WorkersAdded([TestActor, other]),
            new WorkerLost([other], "worker process 77 exited"),
            new WorkerLost([TestActor], "worker process 78 exited", RunningChunk: 12),
            new WorkerProcessCount(3),
            new WorkerHostReady(77, "akka.tcp://worker@127.0.0.1:4053"),
        ];

        foreach (var message in messages)
        {
            var copy = RoundTrip(message);
            Assert.Equal(message.GetType(), copy.GetType());
            foreach (var property in message.GetType().GetProperties())
                AssertSameValue(property.Name, property.GetValue(message), property.GetValue(copy));
        }
        Assert.Same(GetPoolStatus.Instance, RoundTrip(GetPoolStatus.Instance));
    }

    [Fact]
    public void Serializer_must_refuse_a_record_type_that_was_not_registered()
    {
        var message = new SubmitChunk(1, 0, new Unlisted[] { new(1) });
        var serializer = Sys.Serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);

        var e = Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest));
        Assert.Contains(typeof(Unlisted).FullName!, e.Message);
        Assert.Contains("not a registered", e.Message);
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
