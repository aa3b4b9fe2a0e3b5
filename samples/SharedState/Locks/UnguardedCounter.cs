namespace SharedState.Locks;

/// <summary>
/// The course's shared counter without its lock: threads run <c>count++</c> on one field at the same
/// time. A read-add-write from one thread can overwrite another's, so updates get lost; how many
/// depends on the machine and the moment, and can be none.
/// </summary>
public sealed class UnguardedCounter
{
    private int _count;

    /// <summary>Runs <paramref name="threads"/> threads of <paramref name="increments"/> unguarded increments each, started together; returns the final count.</summary>
    public static int Run(int threads, int increments)
    {
        var counter = new UnguardedCounter();
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            // Read, add, write, each to memory, as Python's `counter += 1` does (without Volatile an
            // optimised build keeps the count in a register and the race never shows). The race is on purpose.
            for (var i = 0; i < increments; i++) Volatile.Write(ref counter._count, Volatile.Read(ref counter._count) + 1);
        })).ToList();
        workers.ForEach(worker => worker.Start());
        workers.ForEach(worker => worker.Join());
        return counter._count;
    }
}
