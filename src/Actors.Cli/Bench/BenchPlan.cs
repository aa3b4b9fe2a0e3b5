namespace Actors.Cli.Bench;

/// <summary>
/// What one timed run of a competitor produced: the seconds it measured (its own timed region, from
/// its first item to its last) and a digest of what it delivered, which the harness checks against
/// <see cref="BenchCompetitor.Expected"/> after the clock has stopped.
/// </summary>
/// <param name="Seconds">Wall-clock seconds of the timed region.</param>
/// <param name="Count">How many items the run delivered.</param>
/// <param name="Sum">The sum of what it delivered (or another checksum the competitor's expectation names).</param>
public readonly record struct BenchRun(double Seconds, long Count, long Sum);

/// <summary>The digest every run of a competitor must produce; anything else fails the benchmark.</summary>
/// <param name="Count">Items delivered.</param>
/// <param name="Sum">Their sum (or checksum).</param>
public readonly record struct BenchExpectation(long Count, long Sum)
{
    /// <summary>The expectation for the numbers 0 … <paramref name="count"/>-1, each delivered once.</summary>
    public static BenchExpectation Range(long count) => new(count, count * (count - 1) / 2);
}

/// <summary>
/// One competitor of a benchmark. <see cref="Run"/> does all of its set-up before starting its own
/// clock and its checks' arithmetic after stopping it; it returns a <see cref="BenchRun"/> and
/// never judges its own result (the harness does).
/// </summary>
/// <param name="Name">Shown in reports; unique within the plan.</param>
/// <param name="Items">Items one run moves (the throughput's numerator).</param>
/// <param name="Expected">What every run must deliver.</param>
/// <param name="Run">One timed run; may be called concurrently with nothing else.</param>
public sealed record BenchCompetitor(
    string Name,
    long Items,
    BenchExpectation Expected,
    Func<CancellationToken, Task<BenchRun>> Run)
{
    /// <summary>
    /// The run's sum may fall short of <see cref="BenchExpectation.Sum"/> but never exceed it: a
    /// competitor wrong by design (an unguarded counter loses updates). Its count is still checked exactly.
    /// </summary>
    public bool SumIsAtMost { get; init; }
}

/// <summary>
/// Competitors that are compared with each other: their ratios divide by the median throughput of
/// <see cref="Baseline"/>. A fast path only ever faces competitors given the same advantage, so
/// batched competitors form their own group.
/// </summary>
/// <param name="Title">What the group compares (e.g. "item by item").</param>
/// <param name="Baseline">Name of the competitor of this group the ratios divide by.</param>
/// <param name="Competitors">The group's competitors, in the order to report them.</param>
public sealed record BenchGroup(string Title, string Baseline, IReadOnlyList<BenchCompetitor> Competitors);

/// <summary>A benchmark: its title, its groups, and notes printed under the header (e.g. a missing <c>python3</c>).</summary>
/// <param name="Name">The benchmark's name on the command line (<c>buffer</c>).</param>
/// <param name="Title">One line saying what is measured.</param>
/// <param name="Groups">The groups; all their competitors run interleaved in the same rounds.</param>
public sealed record BenchPlan(string Name, string Title, IReadOnlyList<BenchGroup> Groups)
{
    /// <summary>Lines printed under the header, such as why a competitor is absent.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Every competitor of every group, in report order.</summary>
    public IEnumerable<BenchCompetitor> Competitors => Groups.SelectMany(group => group.Competitors);
}

/// <summary>A competitor delivered something other than its <see cref="BenchCompetitor.Expected"/> result; the benchmark stops.</summary>
public sealed class BenchCheckException : InvalidOperationException
{
    /// <summary>Creates the exception; the message names the competitor, the round, and both digests.</summary>
    public BenchCheckException(string message) : base(message) { }
}
