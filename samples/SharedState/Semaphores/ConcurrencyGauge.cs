namespace SharedState.Semaphores;

/// <summary>Counts pieces of work running right now and remembers the most ever seen at once; safe from any thread.</summary>
public sealed class ConcurrencyGauge
{
    private int _running;
    private int _peak;
    private int _finished;

    public int Running => Volatile.Read(ref _running);

    public int Peak => Volatile.Read(ref _peak);

    public int Finished => Volatile.Read(ref _finished);

    /// <summary>One more piece of work runs; raises the peak when this is a new high.</summary>
    public void Enter()
    {
        var now = Interlocked.Increment(ref _running);
        for (var peak = Peak; now > peak; peak = Peak)
            if (Interlocked.CompareExchange(ref _peak, now, peak) == peak) break;
    }

    /// <summary>A piece of work finished.</summary>
    public void Exit()
    {
        Interlocked.Decrement(ref _running);
        Interlocked.Increment(ref _finished);
    }

    /// <summary>Wraps <paramref name="work"/> so that every run is counted.</summary>
    public Func<int, Task> Measure(Func<int, Task> work) => async id =>
    {
        Enter();
        try
        {
            await work(id);
        }
        finally
        {
            Exit();
        }
    };
}
