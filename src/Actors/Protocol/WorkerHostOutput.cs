using System.Text;
using Akka.Actor;

namespace Actors.Protocol;

/// <summary>
/// The lines a worker host writes on its standard output for the process that started it: where
/// it listens (the pool then asks it for its workers), and each chunk as it starts it. A chunk's line is written synchronously, so it
/// reaches the pool even when the chunk kills the process an instant later (a remote message sent
/// then would die in the process's send queue): this is how a poison input is charged its tries.
/// </summary>
internal sealed class WorkerHostOutput : IExtension
{
    private const string ListeningMarker = " listening at ";
    private const string StartedPrefix = "started chunk ";

    /// <summary>The longest line a host may write that the pool reads; longer ones are cut (a line is read into memory whole).</summary>
    public const int MaxLineLength = 4096;

    /// <summary>Where chunk lines go; null outside a worker host that a pool started.</summary>
    public TextWriter? Output { get; set; }

    /// <summary>The extension of <paramref name="system"/>.</summary>
    public static WorkerHostOutput For(ActorSystem system) => system.WithExtension<WorkerHostOutput, Provider>();

    /// <summary>Names a chunk as it starts, when this system is a pool-started host: one line, written through before the chunk runs.</summary>
    public void AnnounceStarted(long chunkId)
    {
        if (Output is not { } output) return;
        // Once per chunk on the hot path: formatted on the stack, no string made.
        Span<char> line = stackalloc char[StartedPrefix.Length + 20];
        StartedPrefix.CopyTo(line);
        chunkId.TryFormat(line[StartedPrefix.Length..], out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine(line[..(StartedPrefix.Length + digits)]);
    }

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
    public static bool TryParseStarted(string line, out long chunkId) => TryParseStarted(line.AsSpan(), out chunkId);

    /// <summary>Reads a host's output until it ends, line by line, each of at most <see cref="MaxLineLength"/> characters; the rest of a longer line is dropped.</summary>
    public static Task ReadLinesAsync(StreamReader reader, Action<string> line) => ReadLinesAsync(reader, line, started: null);

    /// <summary>
    /// Reads a host's output as <see cref="ReadLinesAsync(StreamReader, Action{string})"/> does, but
    /// hands each chunk announcement to <paramref name="started"/> as its id, without making a string
    /// of it: a pool reads one per chunk its workers start.
    /// </summary>
    public static async Task ReadLinesAsync(StreamReader reader, Action<string> line, Action<long>? started)
    {
        var buffer = new char[4096];
        var current = new StringBuilder();
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                var rest = buffer.AsSpan(0, read);
                while (rest.IndexOf('\n') is var end and >= 0)
                {
                    var piece = rest[..end].TrimEnd('\r');
                    rest = rest[(end + 1)..];
                    if (current.Length == 0 && started is not null && TryParseStarted(piece, out var chunk)) started(chunk);
                    else
                    {
                        Append(current, piece);
                        if (current.Length > 0) line(current.ToString().TrimEnd('\r'));
                        current.Clear();
                    }
                }
                Append(current, rest);
            }
            if (current.Length > 0) line(current.ToString());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process is gone; what it wrote until then has been read.
        }
    }

    /// <summary>Reads the chunk id out of an <see cref="AnnounceStarted"/> line.</summary>
    public static bool TryParseStarted(ReadOnlySpan<char> line, out long chunkId)
    {
        chunkId = 0;
        return line.StartsWith(StartedPrefix, StringComparison.Ordinal)
            && long.TryParse(line[StartedPrefix.Length..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out chunkId);
    }

    /// <summary>Appends what still fits in a line of <see cref="MaxLineLength"/> characters.</summary>
    private static void Append(StringBuilder line, ReadOnlySpan<char> piece) =>
        line.Append(piece[..Math.Min(piece.Length, Math.Max(0, MaxLineLength - line.Length))]);

    private sealed class Provider : ExtensionIdProvider<WorkerHostOutput>
    {
        public override WorkerHostOutput CreateExtension(ExtendedActorSystem system) => new();
    }
}
