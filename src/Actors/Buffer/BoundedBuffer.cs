using System.Threading.Channels;
using Akka.Actor;

namespace Actors.Buffer;

/// <summary>
/// A bounded buffer for code that is not an actor: a <see cref="BufferActor{T}"/> owns the items,
/// and this object is its producer and consumer face. Call it item by item
/// (<see cref="PutAsync"/>, <see cref="TakeAsync"/>, or the <see cref="Writer"/>/<see cref="Reader"/>
/// channel faces); under load the faces move items to and from the actor in batches, so an
/// item-by-item loop runs at batch speed. Safe to share between any number of producer and consumer
/// tasks, like a <see cref="Channel{T}"/>.
/// </summary>
/// <remarks>
/// Guarantees: at most <see cref="BufferSettings.Capacity"/> items are put and not yet taken at any
/// time, wherever they sit (in a face, on their way, or in the actor's list), so a producer waits
/// once that many are outstanding; each producer's items arrive in the order it put them; no item is
/// lost or delivered twice; a cancelled put or take either did not happen or happened completely.
/// Actors talk to <see cref="Ref"/> with the messages of <c>Messages.cs</c> instead.
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
public sealed class BoundedBuffer<T>
{
    private readonly BufferWriter<T> _writer;
    private readonly BufferReader<T> _reader;
    private readonly TimeSpan _askTimeout;

    private BoundedBuffer(IActorRef buffer, BufferSettings settings)
    {
        Ref = buffer;
        _askTimeout = settings.AskTimeout;
        var provider = ((IInternalActorRef)buffer).Provider;
        _writer = new BufferWriter<T>(buffer, provider, settings.EffectiveFaceWindow);
        _reader = new BufferReader<T>(buffer, provider, settings.EffectiveFaceWindow);
    }

    /// <summary>The buffer actor, for actors that talk to it directly.</summary>
    public IActorRef Ref { get; }

    /// <summary>The producer face as a <see cref="ChannelWriter{T}"/>; <c>TryComplete</c> completes the buffer.</summary>
    public ChannelWriter<T> Writer => _writer;

    /// <summary>The consumer face as a <see cref="ChannelReader{T}"/> (<c>ReadAllAsync</c>, <c>TryRead</c>, <c>WaitToReadAsync</c>, <c>Completion</c>).</summary>
    public ChannelReader<T> Reader => _reader;

    /// <summary>Starts a buffer actor under <paramref name="factory"/> and returns its face.</summary>
    /// <param name="factory">The actor system or an actor's context.</param>
    /// <param name="settings">Capacity, batch limit and face window.</param>
    /// <param name="producers">How many <see cref="ProducerDone"/> calls (or messages) complete the buffer.</param>
    /// <param name="name">Actor name; a unique one is chosen when <see langword="null"/>.</param>
    public static BoundedBuffer<T> Create(IActorRefFactory factory, BufferSettings settings, int producers = 1, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(settings);
        var buffer = new BoundedBuffer<T>(factory.ActorOf(BufferActor<T>.Props(settings, producers), name), settings);
        factory.ActorOf(BufferWatcher.Props(buffer.Ref, buffer.OnBufferStopped));
        return buffer;
    }

    /// <summary>
    /// Adds one item. Completes at once while this face holds reserved room, otherwise once room is
    /// reserved for it; the item then reaches the buffer in order.
    /// </summary>
    /// <exception cref="BufferCompletedException">The buffer accepts no more items; this one was not added.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> fired while the put waited; the item was not added.</exception>
    public ValueTask PutAsync(T item, CancellationToken ct = default) => _writer.PutAsync(item, channelErrors: false, ct);

    /// <summary>Removes the oldest item, waiting for one while the buffer is empty.</summary>
    /// <exception cref="BufferCompletedException">The buffer is completed and every item was taken.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> fired while the take waited; it took nothing, and the item it would have got goes to the next take.</exception>
    public ValueTask<T> TakeAsync(CancellationToken ct = default) => _reader.TakeAsync(channelErrors: false, ct);

    /// <summary>Tells the buffer, after the items this producer put, that it will put no more.</summary>
    public void ProducerDone() => _writer.ProducerDone();

    /// <summary>Completes the buffer: no more puts; consumers drain what is left.</summary>
    public void Complete() => _writer.Complete();

    /// <summary>The buffer's contents and accounts as they are now.</summary>
    /// <exception cref="AskTimeoutException">The buffer did not answer within <see cref="BufferSettings.AskTimeout"/>.</exception>
    public Task<BufferSnapshot<T>> GetSnapshotAsync(CancellationToken ct = default) =>
        Ref.Ask<BufferSnapshot<T>>(GetSnapshot.Instance, _askTimeout, ct);

    private void OnBufferStopped()
    {
        var reason = new BufferCompletedException($"The buffer actor {Ref.Path} stopped; it accepts and hands out no more items.");
        _writer.Stopped(reason);
        _reader.Stopped(reason);
    }
}

/// <summary>A put reached a buffer that is completed or stopped, or a take found it completed and drained.</summary>
public sealed class BufferCompletedException : InvalidOperationException
{
    /// <summary>Creates the exception with the buffer's reason.</summary>
    public BufferCompletedException(string message) : base(message) { }
}

/// <summary>Watches a buffer actor for its face and tells it when the actor stops, so no caller waits for a dead actor.</summary>
internal sealed class BufferWatcher : ReceiveActor
{
    private readonly Action _onStopped;

    public BufferWatcher(IActorRef buffer, Action onStopped)
    {
        _onStopped = onStopped;
        Context.Watch(buffer);
        Receive<Terminated>(_ => Context.Stop(Self));
    }

    // Also when the watcher stops with its sibling, before the Terminated arrives: a system or a
    // parent that shuts down stops both together, and the buffer's callers must still hear of it.
    protected override void PostStop() => _onStopped();

    public static Props Props(IActorRef buffer, Action onStopped) =>
        Akka.Actor.Props.Create(() => new BufferWatcher(buffer, onStopped));
}
