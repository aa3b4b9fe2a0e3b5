using Actors.Configuration;
using Actors.Protocol;
using Actors.Serialization;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Serialization;

/// <summary>
/// Job inputs and outputs cross the wire unchanged, or are refused before any is sent: values go
/// through the real serializer and come back equal, member by member.
/// </summary>
public sealed class WireShapeSpecs() : TestKit(ActorsConfig.Defaults)
{
    public enum Colour { Red, Green = 7 }

    public sealed record Order(string Id, decimal Amount, DateTime At, Colour Colour, IReadOnlyList<Line> Lines, int? Priority)
    {
        public decimal Total => Lines.Sum(line => line.Price * line.Quantity); // computed: need not come back
    }

    public sealed record Line(string Sku, decimal Price, int Quantity);

    public sealed class Settable
    {
        public string Name { get; set; } = "";
        public Dictionary<string, double> Scores { get; set; } = new();
        public Guid Id { get; init; }
    }

    public sealed class Lossy(int kept)
    {
        public int Kept { get; } = kept;
        public int Lost { get; } = kept * 2;
    }

    public interface IShape;

    public abstract class Shape;

    public static TheoryData<string, Array> Payloads => new()
    {
        { "value tuples", new (long, long)[] { (1, 2), (-3, long.MaxValue) } },
        { "named tuples with strings", new (string Name, int Count)[] { ("a", 1), ("ü", -2) } },
        { "records with lists, decimals, dates, enums and nullables", new[]
            {
                new Order("o-1", 12.34m, new DateTime(2026, 11, 26, 3, 0, 0, DateTimeKind.Utc), Colour.Green, [new("s", 1.5m, 3)], 2),
                new Order("o-2", -0.01m, DateTime.MinValue, Colour.Red, [], null),
            }
        },
        { "classes with setters and dictionaries", new[] { new Settable { Name = "x", Scores = { ["a"] = 1.5, ["b"] = -2 }, Id = Guid.NewGuid() } } },
        { "decimals", new[] { 1.1m, decimal.MaxValue, decimal.MinusOne } },
        { "dates and offsets", new[] { DateTimeOffset.Parse("2026-11-26T03:00:00+05:30"), DateTimeOffset.MinValue } },
        { "byte arrays", new[] { new byte[] { 0, 1, 255 }, Array.Empty<byte>() } },
        { "nullable numbers", new int?[] { 1, null, -1 } },
        { "enums", new[] { Colour.Green, Colour.Red } },
        { "strings with nulls", new[] { "a", null, "", "ünïcødé" } },
        { "arrays of arrays", new[] { new[] { 1L, 2L }, [] } },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void A_payload_must_come_back_equal_member_by_member(string kind, Array payload)
    {
        Assert.True(WireShape.Problem(payload.GetType().GetElementType()!) is null, $"{kind}: {WireShape.Problem(payload.GetType().GetElementType()!)}");
        WireTypes.For(Sys).Register(payload.GetType().GetElementType()!);

        var copy = (RunChunk)RoundTrip(new RunChunk(1, "job", payload));

        var arrived = copy.Inputs.ToArray();
        Assert.Equal(payload.GetType(), arrived.GetType());
        Assert.Equivalent(payload, arrived, strict: true);
    }

    [Theory]
    [InlineData(typeof(Lossy), "Lossy.Lost has no setter and no constructor parameter")]
    [InlineData(typeof(IShape), "IShape is an interface")]
    [InlineData(typeof(Shape), "Shape is abstract")]
    [InlineData(typeof(object), "object says nothing of what it holds")]
    [InlineData(typeof(List<IShape>), "IShape is an interface")]
    [InlineData(typeof((long, Shape)), "Shape is abstract")]
    [InlineData(typeof(Func<int>), "is not data")]
    [InlineData(typeof(int[,]), "more than one dimension")]
    public void A_type_that_would_not_come_back_must_be_refused_with_the_reason(Type type, string reason)
    {
        Assert.Contains(reason, WireShape.Problem(type));
    }

    private object RoundTrip(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<ActorsSerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest);
    }
}
