using System.Collections.Concurrent;
using Akka.Actor;

namespace Actors.Serialization;

/// <summary>
/// The record types this actor system accepts as job inputs and outputs on the wire. Nothing else
/// beyond primitives, strings and arrays of them is ever deserialized: a message naming an
/// unregistered type is refused. A pool registers its jobs' types when it runs them; a worker
/// process registers the types of the jobs in the assemblies it was told to load.
/// </summary>
internal sealed class WireTypes : IExtension
{
    private readonly ConcurrentDictionary<string, Type> _byName = new(StringComparer.Ordinal);

    /// <summary>The registry of <paramref name="system"/>.</summary>
    public static WireTypes For(ActorSystem system) => system.WithExtension<WireTypes, WireTypesProvider>();

    /// <summary>Allows values of <paramref name="type"/> (a job's input or output type, arrays of it travelling) on the wire.</summary>
    public void Register(Type type)
    {
        if (PayloadCodec.IsBuiltIn(type)) return;
        _byName[NameOf(type)] = type;
    }

    internal static string NameOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    internal Type Resolve(string name) => _byName.TryGetValue(name, out var type)
        ? type
        : throw new System.Runtime.Serialization.SerializationException(
            $"refusing to deserialize '{name}': it is not a registered job input or output type");

    private sealed class WireTypesProvider : ExtensionIdProvider<WireTypes>
    {
        public override WireTypes CreateExtension(ExtendedActorSystem system) => new();
    }
}
