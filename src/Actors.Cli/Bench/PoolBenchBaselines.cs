using System.Collections.Concurrent;
using System.Diagnostics;
using Actors.Jobs;

namespace Actors.Cli.Bench;

/// <summary>
/// The pool benchmark's competitors without actors, each written as a competent .NET developer
/// writes a parallel map over an array (reading the inputs, <c>checked</c> like the job), and the
/// checks every run's outputs pass after its clock stopped.
/// </summary>
internal static class PoolBenchBaselines
{
    /// <summary>Σ i² for i in 0 … <paramref name="count"/>-1.</summary>
    public static long SumOfSquaresBelow(long count) => (count - 1) * count * (2 * count - 1) / 6;

    /// <summary>Σ i for i in 0 … <paramref name="n"/>-1: what <see cref="SumRangeJob"/> returns.</summary>
    public static long SumBelow(long n) => n * (n - 1) / 2;

    /// <summary>The idiom for cheap bodies: one delegate call per range of indexes, not per index.</summary>
    public static BenchRun RangePartitioned(string name, long[] inputs)
    {
        var started = Stopwatch.GetTimestamp();
        var outputs = new long[inputs.Length];
        Parallel.ForEach(Partitioner.Create(0, inputs.Length), range =>
        {
            for (var i = range.Item1; i < range.Item2; i++) outputs[i] = checked(inputs[i] * inputs[i]);
        });
        return Squares(name, Stopwatch.GetElapsedTime(started).TotalSeconds, outputs);
    }

    /// <summary>The first thing most people write: one delegate call per index.</summary>
    public static BenchRun PerIndex(string name, long[] inputs)
    {
        var started = Stopwatch.GetTimestamp();
        var outputs = new long[inputs.Length];
        Parallel.For(0, inputs.Length, i => outputs[i] = checked(inputs[i] * inputs[i]));
        return Squares(name, Stopwatch.GetElapsedTime(started).TotalSeconds, outputs);
    }

    /// <summary>PLINQ, ordered as a map's results are.</summary>
    public static BenchRun Plinq(string name, long[] inputs)
    {
        var started = Stopwatch.GetTimestamp();
        var outputs = inputs.AsParallel().AsOrdered().Select(x => checked(x * x)).ToArray();
        return Squares(name, Stopwatch.GetElapsedTime(started).TotalSeconds, outputs);
    }

    /// <summary>No parallelism at all: what the cores are measured against.</summary>
    public static BenchRun Loop(string name, long[] inputs)
    {
        var started = Stopwatch.GetTimestamp();
        var outputs = new long[inputs.Length];
        for (var i = 0; i < inputs.Length; i++) outputs[i] = checked(inputs[i] * inputs[i]);
        return Squares(name, Stopwatch.GetElapsedTime(started).TotalSeconds, outputs);
    }

    /// <summary>Single tasks without a pool: one thread-pool task per input, awaited together.</summary>
    public static async Task<BenchRun> TaskPerInputAsync(int count)
    {
        var tasks = new Task<long>[count];
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var input = (long)i;
            tasks[i] = Task.Run(() => checked(input * input));
        }
        var outputs = await Task.WhenAll(tasks).ConfigureAwait(false);
        return Squares("Task.Run", Stopwatch.GetElapsedTime(started).TotalSeconds, outputs);
    }

    /// <summary>The CPU-heavy tasks on every core without a pool: the control of what the cores gave during the run.</summary>
    public static BenchRun HeavyParallel(long[] inputs)
    {
        var started = Stopwatch.GetTimestamp();
        var job = new SumRangeJob();
        var sums = new long[inputs.Length];
        Parallel.For(0, inputs.Length, i => sums[i] = job.Run(inputs[i]));
        return Sums("Parallel.For sum-range", Stopwatch.GetElapsedTime(started).TotalSeconds, sums);
    }

    /// <summary>The digest of a square map after checking every position (output i must be i²).</summary>
    /// <exception cref="BenchCheckException">An output is not the square of its index.</exception>
    public static BenchRun Squares(string name, double seconds, long[] outputs)
    {
        long sum = 0;
        for (var i = 0; i < outputs.Length; i++)
        {
            if (outputs[i] != (long)i * i) throw new BenchCheckException($"{name}: output #{i} is {outputs[i]}, expected {(long)i * i}.");
            sum += outputs[i];
        }
        return new BenchRun(seconds, outputs.Length, sum);
    }

    /// <summary>The digest of a CPU-heavy map; the harness compares it with the expected count and sum.</summary>
    public static BenchRun Sums(string name, double seconds, long[] sums)
    {
        if (sums.Length > 0 && sums.Any(sum => sum != sums[0])) throw new BenchCheckException($"{name}: the sum-range results differ from one another.");
        return new BenchRun(seconds, sums.Length, sums.Sum());
    }
}
