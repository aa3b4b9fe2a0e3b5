using Akka.Actor;

namespace Actors.Processes;

/// <summary>
/// A worker process names each chunk on its standard output as it starts it. The line is written
/// synchronously, so it reaches the pool even when the chunk kills the process an instant later
/// (a remote message sent then would die in the process's send queue): this is how a poison
/// input is charged its tries.
/// </summary>
internal sealed class StartedChunk : IExtension
{
    private const string Prefix = "started chunk ";

    /// <summary>Where the lines go; null outside a pool-started worker process.</summary>
    public TextWriter? Output { get; set; }

    public static StartedChunk For(ActorSystem system) => system.WithExtension<StartedChunk, Provider>();

    public void Announce(long chunkId) => Output?.WriteLine(Prefix + chunkId);

    public static bool TryParse(string line, out long chunkId)
    {
        chunkId = 0;
        return line.StartsWith(Prefix, StringComparison.Ordinal) && long.TryParse(line.AsSpan(Prefix.Length), out chunkId);
    }

    private sealed class Provider : ExtensionIdProvider<StartedChunk>
    {
        public override StartedChunk CreateExtension(ExtendedActorSystem system) => new();
    }
}
