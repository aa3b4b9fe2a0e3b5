using System.Threading.Channels;

namespace Actors.Buffer;

/// <summary>
/// The producer face of a <see cref="BoundedBuffer{T}"/> as a <see cref="ChannelWriter{T}"/>: every
/// call is one step on the state the buffer actor shares with its faces, so <see cref="TryWrite"/>
/// succeeds whenever there is room, a call that can finish at once does, and completion with an
/// error reaches the readers, as with <see cref="Channel.CreateBounded{T}(int)"/>.
/// </summary>
internal sealed class BufferWriter<T>(BufferCore<T> core) : ChannelWriter<T>
{
    public override bool TryWrite(T item) => core.TryWrite(item);

    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
        core.WaitToWriteAsync(cancellationToken);

    public override ValueTask WriteAsync(T item, CancellationToken cancellationToken = default) =>
        core.WriteAsync(item, channelErrors: true, cancellationToken);

    public override bool TryComplete(Exception? error = null) => core.TryComplete(error);
}
