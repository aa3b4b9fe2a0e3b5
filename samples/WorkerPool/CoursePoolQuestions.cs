using System.Diagnostics;
using System.Globalization;
using Actors.Jobs;
using Actors.Pool;
using Akka.Actor;
using Akka.Routing;

namespace WorkerPoolSample;

/// <summary>
/// The course's pool questions answered with a <see cref="WorkerPool"/>: question 2's
/// <c>Pool(4).map(square, range(10))</c>, question 3's four <c>sum(range(1000000))</c> tasks, and
/// question 1's I/O-bound case (many waits overlapping on many workers). Each scenario starts its
/// own pool with a router given in code, writes its result lines and stops the pool again. Whether
/// the workers are threads of this process or worker processes is the system's configuration
/// (<c>actors.pool.mode</c>); the code is the same.
/// </summary>
public static class CoursePoolQuestions
{
    /// <summary>Workers in the pools of questions 2 and 3, as in the seed's <c>Pool(processes=4)</c>.</summary>
    public const int SeedWorkers = 4;

    /// <summary>Question 3's task: <c>sum(range(1000000))</c>.</summary>
    public const long SumRangeInput = 1_000_000;

    /// <summary>Question 1: how many simulated I/O calls, and how long each one waits.</summary>
    public const int SleepTasks = 100;

    /// <summary>Milliseconds each simulated I/O call waits.</summary>
    public const long SleepMilliseconds = 100;

    /// <summary>
    /// Question 2: squares 0‥9 on four workers and writes them as Python prints a list,
    /// <c>[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]</c>.
    /// </summary>
    public static async Task RunSquaresAsync(ActorSystem system, TextWriter output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(output);
        await using var pool = WorkerPool.Create(system, UniqueName("squares"), new RoundRobinPool(SeedWorkers));
        var squares = await pool.MapAsync(new SquareJob(), Enumerable.Range(0, 10).Select(i => (long)i), cancellationToken: ct)
            .ConfigureAwait(false);
        await output.WriteLineAsync(PythonList(squares)).ConfigureAwait(false);
    }

    /// <summary>
    /// Question 3: four <c>sum-range 1000000</c> tasks on four workers, one task each; writes the
    /// four results as a Python list (<c>[499999500000, 499999500000, 499999500000, 499999500000]</c>).
    /// </summary>
    public static async Task RunSumRangeAsync(ActorSystem system, TextWriter output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(output);
        await using var pool = WorkerPool.Create(system, UniqueName("sum-range"), new RoundRobinPool(SeedWorkers));
        var sums = await pool.MapAsync(new SumRangeJob(), Enumerable.Repeat(SumRangeInput, SeedWorkers), new MapOptions { ChunkSize = 1 }, ct)
            .ConfigureAwait(false);
        await output.WriteLineAsync(PythonList(sums)).ConfigureAwait(false);
    }

    /// <summary>
    /// Question 1: <see cref="SleepTasks"/> simulated I/O calls of <see cref="SleepMilliseconds"/> ms
    /// each, on a pool with one worker per call and one call per chunk, so that every wait overlaps;
    /// writes how long that took against how long the calls would take one after another.
    /// </summary>
    public static async Task RunSleepAsync(ActorSystem system, TextWriter output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(output);
        await using var pool = WorkerPool.Create(system, UniqueName("sleep"), new RoundRobinPool(SleepTasks));
        var started = Stopwatch.GetTimestamp();
        var waited = await pool.MapAsync(new SleepJob(), Enumerable.Repeat(SleepMilliseconds, SleepTasks), new MapOptions { ChunkSize = 1 }, ct)
            .ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var workers = (await pool.GetStatusAsync(ct).ConfigureAwait(false)).Routees;
        var serial = TimeSpan.FromMilliseconds(waited.Sum());
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{SleepTasks} x sleep {SleepMilliseconds} ms on {workers} workers: {elapsed.TotalSeconds:0.00} s (one after another: {serial.TotalSeconds:0.0} s, {serial / elapsed:0}x faster)"))
            .ConfigureAwait(false);
    }

    /// <summary>Formats values as Python prints a list: <c>[1, 2, 3]</c>.</summary>
    public static string PythonList<T>(IEnumerable<T> values) where T : IFormattable =>
        "[" + string.Join(", ", values.Select(value => value.ToString(null, CultureInfo.InvariantCulture))) + "]";

    // A pool's name is its manager's actor name: unique, so a scenario can run again (or beside
    // another) before the previous manager's name is released.
    private static string UniqueName(string scenario) => $"{scenario}-{Guid.NewGuid():N}"[..(scenario.Length + 9)];
}
