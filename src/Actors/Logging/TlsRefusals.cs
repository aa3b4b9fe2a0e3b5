using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Akka.Actor;

namespace Actors.Logging;

/// <summary>
/// The TLS refusals an actor system has logged: the last one, so that a node or a submitter that
/// gives up can say "TLS: …" in its final error, and a throttle so that a peer refused over and
/// over (it retries every few seconds) is logged once per interval with a count, not once a try.
/// </summary>
internal sealed partial class TlsRefusals : IExtension
{
    /// <summary>When each kind of refusal was last written, and how many were held back since.</summary>
    private readonly ConcurrentDictionary<string, (DateTime Written, int Held)> _seen = new();
    private volatile string? _last;

    /// <summary>The refusals of <paramref name="system"/>.</summary>
    public static TlsRefusals For(ActorSystem system) => system.WithExtension<TlsRefusals, Provider>();

    /// <summary>The first line of the last refusal logged, if any.</summary>
    public string? Last => _last;

    /// <summary>Whether <paramref name="message"/> is a TLS refusal: a peer certificate refused, or a handshake that failed.</summary>
    public static bool IsRefusal(string message) =>
        message.Contains("Refused TLS peer", StringComparison.Ordinal)
        || message.Contains("TLS handshake failed", StringComparison.Ordinal)
        || message.Contains("due to TLS handshake failure", StringComparison.Ordinal)
        || message.Contains("failed outbound TLS handshake", StringComparison.Ordinal);

    /// <summary>
    /// Records a refusal and decides whether to write it: the first of its kind (its first line with
    /// the numbers — ports, channel ids — left out) in <paramref name="interval"/> is written, the rest are counted.
    /// </summary>
    /// <param name="held">How many of its kind were held back since it was last written.</param>
    public bool ShouldWrite(string message, DateTime now, TimeSpan interval, out int held)
    {
        var firstLine = message.Split('\n', 2)[0].Trim();
        if (message.Contains("Refused TLS peer", StringComparison.Ordinal) || _last is null) _last = firstLine;
        var kind = Numbers().Replace(firstLine, "#");
        held = 0;
        while (true)
        {
            if (!_seen.TryGetValue(kind, out var seen))
            {
                if (_seen.TryAdd(kind, (now, 0))) return true;
                continue;
            }
            if (now - seen.Written >= interval)
            {
                if (!_seen.TryUpdate(kind, (now, 0), seen)) continue;
                held = seen.Held;
                return true;
            }
            if (_seen.TryUpdate(kind, (seen.Written, seen.Held + 1), seen)) return false;
        }
    }

    [GeneratedRegex(@"Id=[0-9a-fA-F]+|\d+")]
    private static partial Regex Numbers();

    private sealed class Provider : ExtensionIdProvider<TlsRefusals>
    {
        public override TlsRefusals CreateExtension(ExtendedActorSystem system) => new();
    }
}
