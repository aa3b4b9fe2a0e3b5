namespace Actors.Pool;

/// <summary>
/// A pool's life as its callers see it: open, then completing (no new calls; the running ones
/// finish), then disposed (the running ones end at once) — by its owner, or because its manager
/// actor is gone. Every call holds a lease while it runs; its token fires when the caller cancels
/// or the pool is disposed.
/// </summary>
internal sealed class PoolLifetime(string poolName)
{
    /// <summary>The pool's name, for messages.</summary>
    public string Name { get; } = poolName;

    private const int Open = 0, Completing = 1, Disposed = 2;

    private readonly CancellationTokenSource _disposing = new();
    /// <summary>Completed once the pool no longer takes calls and the last running one has ended.</summary>
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;
    private int _running;
    /// <summary>How the pool ended, for the messages of the calls it ends: "was disposed" unless it ended otherwise.</summary>
    private volatile string _ended = "was disposed";

    /// <summary>Starts a call.</summary>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    /// <exception cref="InvalidOperationException">The pool is completing: it takes no more work.</exception>
    public Lease Enter(CancellationToken caller) => Enter(caller, leased: true)!;

    private Lease? Enter(CancellationToken caller, bool leased)
    {
        Interlocked.Increment(ref _running);
        switch (Volatile.Read(ref _state))
        {
            case Disposed:
                Leave();
                throw new ObjectDisposedException($"pool '{Name}'", $"pool '{Name}' {_ended}: it takes no more calls.");
            case Completing:
                Leave();
                throw new InvalidOperationException($"pool '{Name}' is completing: it finishes the work it has and takes no more.");
        }
        return leased ? new Lease(this, CancellationTokenSource.CreateLinkedTokenSource(caller, _disposing.Token), caller) : null;
    }

    /// <summary>Fires when the pool is disposed.</summary>
    public CancellationToken Disposing => _disposing.Token;

    /// <summary>Starts a single submit (it has no token of its own: its wait ends with its outcome).</summary>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    /// <exception cref="InvalidOperationException">The pool is completing.</exception>
    public void EnterSubmit() => Enter(CancellationToken.None, leased: false);

    /// <summary>A single submit has its outcome.</summary>
    public void LeaveSubmit() => Leave();

    /// <summary>Takes no more calls; completes once the running ones have ended.</summary>
    public Task CompleteAsync()
    {
        Interlocked.CompareExchange(ref _state, Completing, Open);
        if (Volatile.Read(ref _running) == 0) _idle.TrySetResult();
        return _idle.Task;
    }

    /// <summary>Takes no more calls and ends the running ones now; true only the first time.</summary>
    public bool Dispose() => End(null);

    /// <summary>Ends the pool because its manager actor is gone: calls end as on disposal, saying so; true unless it had ended.</summary>
    public bool ManagerStopped() =>
        End("stopped: its manager actor is gone (the actor system shut down, or the actor was stopped)");

    /// <summary>Why calls ended or are refused: what the pool's owner or its manager did.</summary>
    public string Ended => _ended;

    private bool End(string? why)
    {
        lock (_disposing)
        {
            if (Volatile.Read(ref _state) == Disposed) return false;
            if (why is not null) _ended = why;
            Volatile.Write(ref _state, Disposed);
        }
        _disposing.Cancel();
        return true;
    }

    private void Leave()
    {
        if (Interlocked.Decrement(ref _running) == 0 && Volatile.Read(ref _state) != Open) _idle.TrySetResult();
    }

    /// <summary>One running call: its token, and the error that says why it stopped when the pool went away.</summary>
    internal sealed class Lease(PoolLifetime lifetime, CancellationTokenSource linked, CancellationToken caller) : IDisposable
    {
        public CancellationToken Token => linked.Token;

        /// <summary>What a cancellation means for the caller: its own cancelling, or the pool's disposal.</summary>
        public Exception Explain(OperationCanceledException cancelled) =>
            lifetime._disposing.IsCancellationRequested && !caller.IsCancellationRequested
                ? new ObjectDisposedException($"pool '{lifetime.Name}'", $"pool '{lifetime.Name}' {lifetime.Ended} while this call ran.")
                : cancelled;

        public void Dispose()
        {
            linked.Dispose();
            lifetime.Leave();
        }
    }
}
