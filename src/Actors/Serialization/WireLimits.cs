using Akka.Actor;

namespace Actors.Serialization;

/// <summary>
/// What may cross this actor system's wire in one message: a payload whose bytes would not fit the
/// transport's frame (<c>akka.remote.dot-netty.tcp.maximum-frame-size</c>) is dropped by the
/// transport with only a log line, and one the serializer cannot write is dropped too. Checked
/// before sending, so that such a chunk is split or its input reported, instead of silently lost.
/// </summary>
internal sealed class WireLimits : IExtension
{
    /// <summary>Bytes of a frame left for everything but the payload (envelope, names, addresses).</summary>
    private const long EnvelopeAllowance = 64 * 1024;

    private WireLimits(long maxPayloadBytes) => MaxPayloadBytes = maxPayloadBytes;

    /// <summary>The largest payload one message may carry.</summary>
    public long MaxPayloadBytes { get; }

    /// <summary>
    /// The payload bytes of chunks one message gathers (<see cref="Protocol.RunChunks"/>): 60,000, so
    /// that a batch's frame stays under 64 KiB, past which the transport's receive buffer grows to a
    /// large object (128 KiB); never more than a message may carry.
    /// </summary>
    public long BatchBytes => Math.Min(60_000, MaxPayloadBytes);

    /// <summary>The limits of <paramref name="system"/>.</summary>
    public static WireLimits For(ActorSystem system) => system.WithExtension<WireLimits, Provider>();

    /// <summary>Why <paramref name="payload"/> cannot cross the wire, or null when it can.</summary>
    public string? Check(Array payload) => Check(Protocol.ArrayRegion.Of(payload));

    /// <summary>Why <paramref name="payload"/> cannot cross the wire, or null when it can.</summary>
    internal string? Check(Protocol.ArrayRegion payload) => Measure(payload).Problem;

    /// <summary>The bytes <paramref name="payload"/> takes on the wire, and why it cannot cross, or null when it can.</summary>
    internal (long Bytes, string? Problem) Measure(Protocol.ArrayRegion payload)
    {
        var (bytes, error) = PayloadCodec.Measure(payload);
        if (error is not null) return (0, $"its payload cannot be serialized: {error}");
        return (bytes, bytes > MaxPayloadBytes
            ? $"its payload is {bytes:N0} bytes, more than a message may carry ({MaxPayloadBytes:N0}; akka.remote.dot-netty.tcp.maximum-frame-size)"
            : null);
    }

    private sealed class Provider : ExtensionIdProvider<WireLimits>
    {
        public override WireLimits CreateExtension(ExtendedActorSystem system)
        {
            var frame = system.Settings.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size", null) ?? 128_000;
            return new WireLimits(Math.Max(1, frame - EnvelopeAllowance));
        }
    }
}
