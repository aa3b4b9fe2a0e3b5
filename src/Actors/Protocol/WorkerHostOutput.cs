using Akka.Actor;

namespace Actors.Protocol;

/// <summary>
/// The lines a worker host writes on its standard output for the process that started it: where
/// it listens (the pool then asks it for its workers), and each chunk as it starts it. A chunk's line is written synchronously, so it
/// reaches the pool even when the chunk kills the process an instant later (a remote message sent
/// then would die in the process's send queue): this is how a poison input is charged its tries.
/// </summary>
public sealed class WorkerHostOutput : IExtension
{
    private const string ListeningMarker = " listening at ";
    private const string StartedPrefix = "started chunk ";

    /// <summary>The longest line a host may write that the pool reads; longer ones are cut (a line is read into memory whole).</summary>
    public const int MaxLineLength = 4096;

    /// <summary>Where chunk lines go; null outside a worker host that a pool started.</summary>
    public TextWriter? Output { get; set; }

    /// <summary>The extension of <paramref name="system"/>.</summary>
    public static WorkerHostOutput For(ActorSystem system) => system.WithExtension<WorkerHostOutput, Provider>();

    /// <summary>Names a chunk as it starts, when this system is a pool-started host.</summary>
    public void AnnounceStarted(long chunkId) => Output?.WriteLine(StartedPrefix + chunkId);

    /// <summary>The line a host writes once it listens.</summary>
    public static string Listening(int pid, Address address) => $"worker node {pid}{ListeningMarker}{address}";

    /// <summary>Reads the address out of a <see cref="Listening"/> line.</summary>
    public static bool TryParseListening(string line, out string address)
    {
        var at = line.IndexOf(ListeningMarker, StringComparison.Ordinal);
        address = at < 0 ? "" : line[(at + ListeningMarker.Length)..].Trim();
        return address.Length > 0;
    }

    /// <summary>Reads the chunk id out of an <see cref="AnnounceStarted"/> line.</summary>
    public static bool TryParseStarted(string line, out long chunkId)
    {
        chunkId = 0;
        return line.StartsWith(StartedPrefix, StringComparison.Ordinal) && long.TryParse(line.AsSpan(StartedPrefix.Length), out chunkId);
    }

    private sealed class Provider : ExtensionIdProvider<WorkerHostOutput>
    {
        public override WorkerHostOutput CreateExtension(ExtendedActorSystem system) => new();
    }
}
