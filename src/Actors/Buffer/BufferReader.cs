using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Actors.Buffer;

/// <summary>
/// The consumer face of a <see cref="BoundedBuffer{T}"/> as a <see cref="ChannelReader{T}"/>: every
/// call is one step on the state the buffer actor shares with its faces, so <see cref="TryRead"/>
/// succeeds whenever the buffer holds an item, <see cref="Completion"/> settles once it is completed
/// and empty, and a producer's error reaches every read, as with <see cref="Channel.CreateBounded{T}(int)"/>.
/// </summary>
internal sealed class BufferReader<T>(BufferCore<T> core) : ChannelReader<T>
{
    public override Task Completion => core.Completion;

    public override bool CanCount => true;

    public override bool CanPeek => true;

    public override int Count => core.Count;

    public override bool TryRead([MaybeNullWhen(false)] out T item) => core.TryRead(out item);

    public override bool TryPeek([MaybeNullWhen(false)] out T item) => core.TryPeek(out item);

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
        core.WaitToReadAsync(cancellationToken);

    public override ValueTask<T> ReadAsync(CancellationToken cancellationToken = default) =>
        core.ReadAsync(channelErrors: true, cancellationToken);
}
