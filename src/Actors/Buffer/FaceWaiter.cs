namespace Actors.Buffer;

/// <summary>
/// A caller waiting inside a <see cref="BufferCore{T}"/> (a put for room, a take for an item, a
/// wait-to-read or wait-to-write). It is settled exactly once: either the core claims it to serve
/// it, or its cancellation token claims it to cancel it, so a cancelled wait never receives an item
/// and a served one is never cancelled. Cancelled waiters stay in the core's queue until the core
/// skips them.
/// </summary>
/// <typeparam name="TResult">What the waiter receives.</typeparam>
internal class FaceWaiter<TResult> : TaskCompletionSource<TResult>
{
    /// <summary>The caller's token's registration, undone once the waiter is served.</summary>
    private CancellationTokenRegistration _registration;

    /// <summary>0 while waiting, 1 once claimed by the core or by cancellation.</summary>
    private int _claimed;

    // Continuations run on the thread pool: the core settles waiters inside its gate, and the buffer
    // actor settles them on its thread; neither may run user code inline.
    public FaceWaiter()
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
    }

    /// <summary>Whether nobody has claimed it yet.</summary>
    public bool IsWaiting => Volatile.Read(ref _claimed) == 0;

    /// <summary>Claims the waiter; only the first claim succeeds.</summary>
    public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    /// <summary>
    /// Cancels the waiter when <paramref name="ct"/> fires before the core claims it, with an
    /// <see cref="OperationCanceledException"/> that carries <paramref name="ct"/>, as a channel's
    /// waiting operations do (not a <see cref="TaskCanceledException"/>).
    /// </summary>
    public void CancelWith(CancellationToken ct)
    {
        if (ct.CanBeCanceled)
        {
            _registration = ct.UnsafeRegister(
                static (state, token) =>
                {
                    var waiter = (FaceWaiter<TResult>)state!;
                    if (waiter.TryClaim())
                    {
                        waiter.TrySetException(new OperationCanceledException(token));
                    }
                },
                this);

            // Served between joining the queue and this registration: nobody will unregister it (the
            // full fence pairs with the one in TryClaim, so either this sees the claim or the server
            // sees the registration).
            if (Interlocked.CompareExchange(ref _claimed, 0, 0) != 0)
            {
                _registration.Unregister();
            }
        }
    }

    /// <summary>Settles a claimed waiter with a result and stops listening to its token.</summary>
    public void Succeed(TResult result)
    {
        _registration.Unregister();
        TrySetResult(result);
    }

    /// <summary>Settles a claimed waiter with an error (cancelled for an <see cref="OperationCanceledException"/>) and stops listening to its token.</summary>
    public void Fail(Exception error)
    {
        _registration.Unregister();
        TrySetException(error);
    }

    /// <summary>Claims every waiter of <paramref name="queue"/> that still waits and empties it; returns the claimed ones.</summary>
    public static List<TWaiter>? ClaimAll<TWaiter>(Queue<TWaiter> queue)
        where TWaiter : FaceWaiter<TResult>
    {
        List<TWaiter>? claimed = null;
        while (queue.TryDequeue(out var waiter))
        {
            if (waiter.TryClaim())
            {
                (claimed ??= []).Add(waiter);
            }
        }

        return claimed;
    }

    /// <summary>Dequeues and claims the first waiter that still waits, if any.</summary>
    public static bool TryClaimNext<TWaiter>(Queue<TWaiter> queue, out TWaiter waiter)
        where TWaiter : FaceWaiter<TResult>
    {
        while (queue.TryDequeue(out waiter!))
        {
            if (waiter.TryClaim())
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Drops claimed (cancelled or served) waiters from the head of <paramref name="queue"/>; true when one that waits remains.</summary>
    public static bool HasLive<TWaiter>(Queue<TWaiter> queue)
        where TWaiter : FaceWaiter<TResult>
    {
        while (queue.TryPeek(out var head) && !head.IsWaiting)
        {
            queue.Dequeue();
        }

        return queue.Count > 0;
    }

    /// <summary>How many waiters of <paramref name="queue"/> still wait.</summary>
    public static int CountLive<TWaiter>(Queue<TWaiter> queue)
        where TWaiter : FaceWaiter<TResult> => queue.Count(waiter => waiter.IsWaiting);
}

/// <summary>A put (<c>WriteAsync</c>, <c>PutAsync</c>) waiting for room, with its item.</summary>
internal sealed class PutWaiter<T>(T item, bool channelErrors) : FaceWaiter<bool>
{
    /// <summary>The item to add once room appears.</summary>
    public T Item { get; } = item;

    /// <summary>Fails as a channel does (<see cref="System.Threading.Channels.ChannelClosedException"/>) rather than with <see cref="BufferCompletedException"/>.</summary>
    public bool ChannelErrors { get; } = channelErrors;
}

/// <summary>A take (<c>ReadAsync</c>, <c>TakeAsync</c>) waiting for an item.</summary>
internal sealed class TakeWaiter<T>(bool channelErrors) : FaceWaiter<T>
{
    /// <summary>Fails as a channel does (<see cref="System.Threading.Channels.ChannelClosedException"/>) rather than with <see cref="BufferCompletedException"/>.</summary>
    public bool ChannelErrors { get; } = channelErrors;
}
