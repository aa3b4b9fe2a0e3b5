using Akka.Actor;

namespace Actors.Buffer;

/// <summary>
/// A caller waiting inside a buffer face (a put for a reserved slot, a take for an item, a
/// wait-to-read or wait-to-write). It is settled exactly once: either the face claims it to serve
/// it, or its cancellation token claims it to cancel it, so a cancelled wait never receives an item
/// and a served one is never cancelled. Cancelled waiters stay in the face's queue until the face
/// skips them.
/// </summary>
/// <typeparam name="TResult">What the waiter receives.</typeparam>
internal class FaceWaiter<TResult> : TaskCompletionSource<TResult>
{
    private CancellationTokenRegistration _registration;

    /// <summary>0 while waiting, 1 once claimed by the face or by cancellation.</summary>
    private int _claimed;

    // Continuations run on the thread pool: a face completes waiters while handling the buffer's
    // reply on the buffer actor's thread, which must never run user code.
    public FaceWaiter()
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
    }

    /// <summary>Whether nobody has claimed it yet.</summary>
    public bool IsWaiting => Volatile.Read(ref _claimed) == 0;

    /// <summary>Claims the waiter; only the first claim succeeds.</summary>
    public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    /// <summary>Cancels the waiter when <paramref name="ct"/> fires before the face claims it.</summary>
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
                        waiter.TrySetCanceled(token);
                    }
                },
                this);
        }
    }

    /// <summary>Settles a claimed waiter with a result and stops listening to its token.</summary>
    public void Succeed(TResult result)
    {
        _registration.Unregister();
        TrySetResult(result);
    }

    /// <summary>Settles a claimed waiter with an error and stops listening to its token.</summary>
    public void Fail(Exception error)
    {
        _registration.Unregister();
        TrySetException(error);
    }

    /// <summary>Empties <paramref name="queue"/>, adding every waiter it could claim (the live ones) to <paramref name="claimed"/>.</summary>
    public static void ClaimAll<TWaiter>(Queue<TWaiter> queue, ref List<TWaiter>? claimed)
        where TWaiter : FaceWaiter<TResult>
    {
        while (queue.TryDequeue(out var waiter))
        {
            if (waiter.TryClaim())
            {
                (claimed ??= []).Add(waiter);
            }
        }
    }

    /// <summary>Drops claimed (cancelled or served) waiters from the head of <paramref name="queue"/>; true when a live one remains.</summary>
    public static bool HasLive<TWaiter>(Queue<TWaiter> queue)
        where TWaiter : FaceWaiter<TResult>
    {
        while (queue.TryPeek(out var head) && !head.IsWaiting)
        {
            queue.Dequeue();
        }

        return queue.Count > 0;
    }
}

/// <summary>
/// The reply address of a buffer face: an actor reference without a mailbox whose messages are
/// handed straight to the face on the sender's thread (the buffer actor's), as Akka's own
/// <c>FutureActorRef</c> does for Ask. The face's handler is short and never blocks.
/// </summary>
internal sealed class FaceEndpoint : MinimalActorRef
{
    private readonly Action<object> _receive;
    private readonly Action<Exception> _fail;

    /// <param name="provider">The actor system's provider, for the address.</param>
    /// <param name="receive">Handles one reply.</param>
    /// <param name="fail">Ends the face when <paramref name="receive"/> throws.</param>
    public FaceEndpoint(IActorRefProvider provider, Action<object> receive, Action<Exception> fail)
    {
        Provider = provider;
        Path = provider.TempPath();
        _receive = receive;
        _fail = fail;
    }

    public override ActorPath Path { get; }

    public override IActorRefProvider Provider { get; }

    protected override void TellInternal(object message, IActorRef sender)
    {
        try
        {
            _receive(message);
        }
        catch (Exception e)
        {
            // This runs inside the buffer actor's receive: an exception escaping here would restart
            // the actor and lose every item it holds. The face's callers get the error instead.
            _fail(new InvalidOperationException($"The buffer face failed handling {message.GetType().Name}.", e));
        }
    }
}
