using Akka.Actor;

namespace Actors.Buffer;

/// <summary>
/// Async facade over a <see cref="BufferActor"/> for code that is not an actor. Each call is one
/// Ask, so pass batches where throughput matters; actors should talk to the buffer with Tell.
/// </summary>
public sealed class BoundedBuffer
{
    /// <summary>Wraps an existing buffer actor.</summary>
    public BoundedBuffer(IActorRef buffer) => Ref = buffer ?? throw new ArgumentNullException(nameof(buffer));

    /// <summary>The buffer actor, for actors that talk to it directly.</summary>
    public IActorRef Ref { get; }

    /// <summary>Starts a buffer actor under <paramref name="factory"/> and wraps it.</summary>
    /// <param name="factory">The actor system or an actor's context.</param>
    /// <param name="settings">Capacity and batch limit.</param>
    /// <param name="producers">How many <see cref="ProducerDone"/> complete the buffer.</param>
    /// <param name="name">Actor name; a unique one is chosen when <see langword="null"/>.</param>
    public static BoundedBuffer Create(IActorRefFactory factory, BufferSettings settings, int producers = 1, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new BoundedBuffer(factory.ActorOf(BufferActor.Props(settings, producers), name));
    }

    /// <summary>Adds one item; completes when it is in the buffer (waits while the buffer is full).</summary>
    /// <exception cref="BufferCompletedException">The buffer accepts no more items.</exception>
    /// <remarks>Cancelling stops the wait only: a put already sent still goes in once there is room.</remarks>
    public Task PutAsync(object item, CancellationToken ct = default) => SendPutAsync(new Put(item), ct);

    /// <summary>Adds items in order; completes when all are in the buffer (waits while the buffer is full).</summary>
    /// <exception cref="BufferCompletedException">The buffer accepts no more items.</exception>
    /// <remarks>Cancelling stops the wait only: a put already sent still goes in once there is room.</remarks>
    public Task PutAsync(IReadOnlyList<object> items, CancellationToken ct = default) => SendPutAsync(new PutBatch(items), ct);

    /// <summary>
    /// Removes between 1 and <paramref name="max"/> items, waiting until at least one exists. An
    /// empty list means the buffer is completed and drained.
    /// </summary>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="ct"/> fired while the take was still waiting; it took nothing. If items were
    /// already on their way they are returned instead, so cancellation never loses an item.
    /// </exception>
    public async Task<IReadOnlyList<object>> TakeAsync(int max, CancellationToken ct = default)
    {
        var take = new Take(max);
        ct.ThrowIfCancellationRequested();
        IActorRef? replyTo = null;
        var reply = Ref.Ask<IBufferMessage>(
            waiter =>
            {
                replyTo = waiter;
                return take;
            },
            timeout: null,
            CancellationToken.None);

        // The reply is awaited even after cancellation: the buffer answers the withdrawal with
        // TakeCancelled, or the take was already served and its items must reach the caller.
        await using var registration = ct.Register(() => Ref.Tell(CancelTake.Instance, replyTo));
        return await reply.ConfigureAwait(false) switch
        {
            Taken taken => taken.Items,
            Completed => [],
            TakeCancelled => throw new OperationCanceledException(ct),
            var other => throw new InvalidOperationException($"Unexpected reply to Take: {other}."),
        };
    }

    /// <summary>Tells the buffer that this producer will put no more items.</summary>
    public void ProducerDone() => Ref.Tell(global::Actors.Buffer.ProducerDone.Instance);

    /// <summary>Tells the buffer to accept no further puts; consumers drain what is left.</summary>
    public void Complete() => Ref.Tell(global::Actors.Buffer.Complete.Instance);

    /// <summary>The buffer's contents and waiting parties as they are now.</summary>
    public Task<BufferSnapshot> GetSnapshotAsync(CancellationToken ct = default) =>
        Ref.Ask<BufferSnapshot>(GetSnapshot.Instance, ct);

    private async Task SendPutAsync(IBufferMessage put, CancellationToken ct)
    {
        switch (await Ref.Ask<IBufferMessage>(put, ct).ConfigureAwait(false))
        {
            case Accepted:
                return;
            case PutRefused refused:
                throw new BufferCompletedException(refused.Reason);
            case var other:
                throw new InvalidOperationException($"Unexpected reply to a put: {other}.");
        }
    }
}

/// <summary>A put reached a buffer that is completed; none of its items were added.</summary>
public sealed class BufferCompletedException : InvalidOperationException
{
    /// <summary>Creates the exception with the buffer's reason.</summary>
    public BufferCompletedException(string message) : base(message) { }
}
