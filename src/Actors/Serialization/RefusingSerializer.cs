using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace Actors.Serialization;

/// <summary>
/// Takes the place of Akka's catch-all Newtonsoft JSON serializer (identifier 1) on the wire: it
/// neither writes nor reads anything, so bytes tagged for that serializer are refused instead of
/// being turned into whatever type they name. Bound in <c>config/processes.hocon</c>.
/// </summary>
internal sealed class RefusingSerializer : Serializer
{
    public RefusingSerializer(ExtendedActorSystem system) : base(system) { }

    /// <summary>Akka passes the replaced serializer's settings section (<c>serialization-settings.json</c>); nothing in it applies.</summary>
    public RefusingSerializer(ExtendedActorSystem system, Akka.Configuration.Config settings) : base(system) { }

    /// <summary>The identifier of the serializer it replaces, so that its bytes land here.</summary>
    public override int Identifier => 1;

    public override bool IncludeManifest => true;

    public override byte[] ToBinary(object obj) => throw new SerializationException(
        $"refusing to serialize {obj.GetType()}: it has no serializer binding of its own (only registered types cross the wire)");

    public override object FromBinary(byte[] bytes, Type type) => throw new SerializationException(
        $"refusing to deserialize a message of type {type?.FullName ?? "?"} with the catch-all JSON serializer: only registered types cross the wire");
}
