using System.Threading.Channels;
using Akka.Actor;

namespace Actors.Buffer;

/// <summary>
/// A bounded buffer for code that is not an actor: a <see cref="BufferActor{T}"/> serves the actors
/// that talk to it, and this object is the producer and consumer face for everyone else. Call it item
/// by item (<see cref="PutAsync"/>, <see cref="TakeAsync"/>) or through the <see cref="Writer"/>/
/// <see cref="Reader"/> channel faces, which keep the <see cref="ChannelWriter{T}"/>/<see cref="ChannelReader{T}"/>
/// contract of <see cref="Channel.CreateBounded{T}(int)"/> in mode <c>Wait</c>. Safe to share between
/// any number of producer and consumer tasks, like a <see cref="Channel{T}"/>.
/// </summary>
/// <remarks>
/// The faces and the actor share one state (the items, the room, completion) that each changes in
/// one short step inside a gate, so a face call needs no message: at most
/// <see cref="BufferSettings.Capacity"/> items are put and not yet taken at any time (counting the
/// slots actors reserved and the items they hold), a put finds room and a take an item as soon as
/// there is one, each producer's items arrive in the order it put them, no item is lost or delivered
/// twice, and a cancelled put or take did not happen. Actors talk to <see cref="Ref"/> with the
/// messages of <see cref="BufferProtocol"/> instead.
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
public sealed class BoundedBuffer<T>
{
    /// <summary>The state shared with the actor.</summary>
    private readonly BufferCore<T> _core;

    /// <summary>How long <see cref="GetSnapshotAsync"/> waits for the actor.</summary>
    private readonly TimeSpan _askTimeout;

    private BoundedBuffer(IActorRef buffer, BufferCore<T> core, BufferSettings settings)
    {
        Ref = buffer;
        _core = core;
        _askTimeout = settings.AskTimeout;
        Writer = new BufferWriter<T>(core);
        Reader = new BufferReader<T>(core);
    }

    /// <summary>The buffer actor, for actors that talk to it directly.</summary>
    public IActorRef Ref { get; }

    /// <summary>The producer face as a <see cref="ChannelWriter{T}"/>; <c>TryComplete</c> completes the buffer, with an error for its readers if given one.</summary>
    public ChannelWriter<T> Writer { get; }

    /// <summary>The consumer face as a <see cref="ChannelReader{T}"/> (<c>ReadAllAsync</c>, <c>TryRead</c>, <c>TryPeek</c>, <c>Count</c>, <c>WaitToReadAsync</c>, <c>Completion</c>).</summary>
    public ChannelReader<T> Reader { get; }

    /// <summary>Starts a buffer actor under <paramref name="factory"/> and returns its face.</summary>
    /// <param name="factory">The actor system or an actor's context.</param>
    /// <param name="settings">Capacity and batch limit.</param>
    /// <param name="producers">How many <see cref="ProducerDone"/> calls (or messages) complete the buffer.</param>
    /// <param name="name">Actor name; a unique one is chosen when <see langword="null"/>.</param>
    public static BoundedBuffer<T> Create(IActorRefFactory factory, BufferSettings settings, int producers = 1, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(producers, 1);
        var core = new BufferCore<T>(settings.Capacity, producers);
        return new BoundedBuffer<T>(factory.ActorOf(BufferActor<T>.Props(core, settings), name), core, settings);
    }

    /// <summary>Adds one item, waiting for room while the buffer is full.</summary>
    /// <exception cref="BufferCompletedException">The buffer accepts no more items (its <c>InnerException</c> is the error it was completed with, if any); this one was not added.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> fired while the put waited; the item was not added.</exception>
    public ValueTask PutAsync(T item, CancellationToken ct = default) => _core.WriteAsync(item, channelErrors: false, ct);

    /// <summary>Removes the oldest item, waiting for one while the buffer is empty.</summary>
    /// <exception cref="BufferCompletedException">The buffer is completed and every item was taken (its <c>InnerException</c> is the error it was completed with, if any).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> fired while the take waited; it took nothing.</exception>
    public ValueTask<T> TakeAsync(CancellationToken ct = default) => _core.ReadAsync(channelErrors: false, ct);

    /// <summary>Tells the buffer, after the items this producer put, that it will put no more.</summary>
    public void ProducerDone() => _core.ProducerDone();

    /// <summary>
    /// Completes the buffer: no more puts; consumers drain what is left, then their takes throw
    /// <see cref="BufferCompletedException"/> with <paramref name="error"/> inside (and the reader's
    /// <c>Completion</c> faults with it), so a consumer can tell a truncated stream from a whole one.
    /// </summary>
    /// <param name="error">Why the producers stopped early; <see langword="null"/> when the stream is whole.</param>
    public void Complete(Exception? error = null) => _core.TryComplete(error);

    /// <summary>The buffer's contents and accounts as they are now.</summary>
    /// <exception cref="AskTimeoutException">The buffer did not answer within <see cref="BufferSettings.AskTimeout"/>.</exception>
    public Task<BufferSnapshot<T>> GetSnapshotAsync(CancellationToken ct = default) =>
        Ref.Ask<BufferSnapshot<T>>(BufferProtocol.GetSnapshot.Instance, _askTimeout, ct);
}

/// <summary>
/// A put reached a buffer that is completed or stopped, or a take found it completed and drained;
/// <see cref="Exception.InnerException"/> is the error the buffer was completed with, if any.
/// </summary>
public sealed class BufferCompletedException : InvalidOperationException
{
    /// <summary>Creates the exception with the buffer's reason.</summary>
    public BufferCompletedException(string message) : base(message) { }

    /// <summary>Creates the exception with the buffer's reason and the error it was completed with.</summary>
    public BufferCompletedException(string message, Exception? innerException) : base(message, innerException) { }
}
