using System.Runtime.Serialization;
using Actors.Configuration;
using Actors.Serialization;
using Akka.Configuration;

namespace Actors.Tests.Serialization;

/// <summary>With the wire settings of processes mode, nothing is read through Akka's catch-all JSON serializer.</summary>
public sealed class RefusingSerializerSpecs() : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString("""
    akka.actor.serialization-settings.allow-unregistered-types = false
    akka.actor.serializers.json = "Actors.Serialization.RefusingSerializer, Actors.Core"
    """).WithFallback(ActorsConfig.Defaults))
{
    private sealed record Unbound(string Text);

    [Fact]
    public void Bytes_tagged_for_the_json_serializer_are_refused_not_deserialized()
    {
        var payload = "{\"$type\":\"System.IO.FileInfo, System.IO.FileSystem\",\"OriginalPath\":\"/etc/passwd\"}"u8.ToArray();

        var error = Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize(payload, 1, typeof(FileInfo)));

        Assert.Contains("refusing to deserialize", error.Message);
        Assert.IsType<RefusingSerializer>(Sys.Serialization.FindSerializerForType(typeof(object)));
    }

    [Fact]
    public void A_message_without_a_binding_cannot_be_sent_over_the_wire()
    {
        Assert.ThrowsAny<Exception>(() => Sys.Serialization.FindSerializerFor(new Unbound("x")).ToBinary(new Unbound("x")));
    }
}
