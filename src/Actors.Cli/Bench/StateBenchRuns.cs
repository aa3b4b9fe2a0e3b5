using System.Diagnostics;
using Akka.Actor;
using SharedState;
using SharedState.Counter;

namespace Actors.Cli.Bench;

/// <summary>
/// One timed run of each in-process counter of <see cref="StateBenchmark"/>: <see cref="StateBenchmark.Threads"/>
/// threads increment one counter; the clock covers the increments only. Each run reports the
/// increments made as its count and the counter read after the clock stopped as its sum, which the
/// harness checks.
/// </summary>
internal static class StateBenchRuns
{
    /// <summary><c>lock (gate) counter++</c>.</summary>
    public static BenchRun Lock(int increments)
    {
        long counter = 0;
        var gate = new object();
        var seconds = TimeThreads(() =>
        {
            for (var i = 0; i < increments; i++)
            {
                lock (gate) counter++;
            }
        });
        return new BenchRun(seconds, Made(increments), counter);
    }

    /// <summary><c>Interlocked.Increment</c>.</summary>
    public static BenchRun Interlocked(int increments)
    {
        long counter = 0;
        var seconds = TimeThreads(() =>
        {
            for (var i = 0; i < increments; i++) System.Threading.Interlocked.Increment(ref counter);
        });
        return new BenchRun(seconds, Made(increments), counter);
    }

    /// <summary>The increment without any lock: its sum falls short of the increments by the updates it lost.</summary>
    public static BenchRun Unguarded(int increments)
    {
        long counter = 0;
        var seconds = TimeThreads(() =>
        {
            // A read, an add and a write, each to memory as Python's `counter += 1` does; without
            // Volatile the JIT keeps the counter in a register and the race never shows.
            for (var i = 0; i < increments; i++) Volatile.Write(ref counter, Volatile.Read(ref counter) + 1);
        });
        return new BenchRun(seconds, Made(increments), counter);
    }

    /// <summary>A new counter actor; from the first <c>Tell</c> to the reply that counts every increment.</summary>
    public static async Task<BenchRun> ActorAsync(ActorSystem system, SharedStateSettings settings, int increments, CancellationToken ct)
    {
        var counter = system.ActorOf(CounterActor.Props(StateBenchmark.Threads));
        try
        {
            var started = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, StateBenchmark.Threads).Select(p => Task.Run(() =>
            {
                var increment = new Increment(p);
                for (var i = 0; i < increments; i++) counter.Tell(increment);
            }, ct))).ConfigureAwait(false);
            var count = await counter.Ask<CountIs>(GetCount.Instance, settings.AskTimeout, ct).ConfigureAwait(false);
            return new BenchRun(Stopwatch.GetElapsedTime(started).TotalSeconds, Made(increments), count.Total);
        }
        finally
        {
            system.Stop(counter);
        }
    }

    private static long Made(int increments) => (long)StateBenchmark.Threads * increments;

    /// <summary>
    /// Runs <paramref name="body"/> on <see cref="StateBenchmark.Threads"/> threads at once and times them. The
    /// threads spin at the start line rather than block, so that they really overlap: a thread
    /// woken late from a wait could finish a million increments before the other one starts.
    /// </summary>
    private static double TimeThreads(Action body)
    {
        var ready = 0;
        var go = false;
        var threads = Enumerable.Range(0, StateBenchmark.Threads).Select(_ => new Thread(() =>
        {
            System.Threading.Interlocked.Increment(ref ready);
            while (!Volatile.Read(ref go)) Thread.SpinWait(20);
            body();
        })).ToList();
        threads.ForEach(t => t.Start());
        while (Volatile.Read(ref ready) < StateBenchmark.Threads) Thread.Yield();
        var started = Stopwatch.GetTimestamp();
        Volatile.Write(ref go, true);
        threads.ForEach(t => t.Join());
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
