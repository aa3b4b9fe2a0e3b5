using System.Diagnostics;
using System.Globalization;

namespace Actors.Cli.Bench;

/// <summary>
/// Runs a <see cref="BenchPlan"/> the way a sceptic would accept: every competitor of every group
/// runs once per round, rounds are interleaved so that the noise of a shared machine falls on all
/// competitors alike, the order rotates from round to round so that no competitor always runs
/// after the same one, a first round warms up (JIT, pools, caches; each competitor repeats until
/// it has run for the warm-up time) and is not counted, and a full garbage collection precedes
/// every run. Each run's result is checked after its clock stopped; a
/// wrong result throws <see cref="BenchCheckException"/> and the benchmark ends.
/// </summary>
public static class BenchHarness
{
    /// <summary>Counted rounds when the caller does not choose.</summary>
    public const int DefaultRounds = 9;

    /// <summary>
    /// How long each competitor runs in the warm-up round when the caller does not choose: tiered
    /// compilation needs about a second of a code path's execution to reach its optimised code.
    /// </summary>
    public static readonly TimeSpan DefaultWarmUp = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="plan"/> for <paramref name="rounds"/> counted rounds after one warm-up round of <see cref="DefaultWarmUp"/> per competitor.</summary>
    /// <inheritdoc cref="RunAsync(BenchPlan, int, TimeSpan, TextWriter?, CancellationToken)"/>
    public static Task<BenchOutcome> RunAsync(BenchPlan plan, int rounds, TextWriter? progress, CancellationToken ct) =>
        RunAsync(plan, rounds, DefaultWarmUp, progress, ct);

    /// <summary>Runs <paramref name="plan"/> for <paramref name="rounds"/> counted rounds after one warm-up round.</summary>
    /// <param name="plan">The competitors, in groups.</param>
    /// <param name="rounds">Counted rounds; at least 1.</param>
    /// <param name="warmUp">In the warm-up round each competitor runs again until this long has passed (at least once); zero runs each once.</param>
    /// <param name="progress">Receives one line per round (stderr in the command), or <see langword="null"/>.</param>
    /// <param name="ct">Stops between runs.</param>
    /// <returns>Each competitor's minimum and median, with ratios to its group's baseline.</returns>
    /// <exception cref="BenchCheckException">A run delivered a wrong result (warm-up runs are checked too).</exception>
    /// <exception cref="ArgumentException">The plan is empty, names a baseline that is not in its group, or repeats a name.</exception>
    public static async Task<BenchOutcome> RunAsync(BenchPlan plan, int rounds, TimeSpan warmUp, TextWriter? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        Validate(plan);

        var environment = BenchEnvironment.Capture();
        var competitors = plan.Competitors.ToList();
        var seconds = competitors.ToDictionary(competitor => competitor.Name, _ => new List<double>(rounds));
        for (var round = 0; round <= rounds; round++)
        {
            var warming = round == 0;
            foreach (var competitor in RoundOrder(competitors, round))
            {
                var warmTime = Stopwatch.StartNew();
                do
                {
                    ct.ThrowIfCancellationRequested();
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    var run = await competitor.Run(ct).ConfigureAwait(false);
                    Check(competitor, run, warming ? "warm-up round" : $"round {round}");
                    if (!warming)
                    {
                        seconds[competitor.Name].Add(run.Seconds);
                    }
                }
                while (warming && warmTime.Elapsed < warmUp);
            }

            progress?.WriteLine(warming ? "warm-up round done" : $"round {round}/{rounds} done");
        }

        var rows = plan.Groups.SelectMany(group =>
        {
            var baseline = Median(seconds[group.Baseline]);
            var baselineItems = group.Competitors.Single(c => c.Name == group.Baseline).Items;
            return group.Competitors.Select(competitor => BenchRow.From(group, competitor, seconds[competitor.Name], baselineItems / baseline));
        }).ToList();
        return new BenchOutcome(plan.Name, plan.Title, environment with { LoadAverageAfter = BenchEnvironment.ReadLoadAverage() }, rounds, plan.Notes, rows);
    }

    /// <summary>The order of round <paramref name="round"/>: the competitors rotated left by <paramref name="round"/> places.</summary>
    public static IEnumerable<T> RoundOrder<T>(IReadOnlyList<T> competitors, int round)
    {
        ArgumentNullException.ThrowIfNull(competitors);
        for (var i = 0; i < competitors.Count; i++)
        {
            yield return competitors[(i + round) % competitors.Count];
        }
    }

    /// <summary>The median: the middle value, or the mean of the two middle values.</summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("No values to take the median of.", nameof(values));
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static void Check(BenchCompetitor competitor, BenchRun run, string when)
    {
        var sumRight = competitor.SumIsAtMost ? run.Sum <= competitor.Expected.Sum : run.Sum == competitor.Expected.Sum;
        if (run.Count != competitor.Expected.Count || !sumRight)
        {
            throw new BenchCheckException(string.Create(
                CultureInfo.InvariantCulture,
                $"{competitor.Name} delivered a wrong result in the {when}: {run.Count} items summing to {run.Sum}, expected {competitor.Expected.Count} summing to {(competitor.SumIsAtMost ? "at most " : "")}{competitor.Expected.Sum}."));
        }

        if (!(run.Seconds > 0) || double.IsInfinity(run.Seconds))
        {
            throw new BenchCheckException(string.Create(
                CultureInfo.InvariantCulture, $"{competitor.Name} reported {run.Seconds} seconds in the {when}; a timed run takes a positive, finite time."));
        }
    }

    private static void Validate(BenchPlan plan)
    {
        if (!plan.Competitors.Any())
        {
            throw new ArgumentException($"The plan '{plan.Name}' has no competitor.", nameof(plan));
        }

        var repeated = plan.Competitors.GroupBy(c => c.Name).FirstOrDefault(names => names.Count() > 1);
        if (repeated is not null)
        {
            throw new ArgumentException($"The plan '{plan.Name}' names two competitors '{repeated.Key}'.", nameof(plan));
        }

        var orphan = plan.Groups.FirstOrDefault(group => group.Competitors.All(c => c.Name != group.Baseline));
        if (orphan is not null)
        {
            throw new ArgumentException($"The group '{orphan.Title}' has no competitor named '{orphan.Baseline}', its baseline.", nameof(plan));
        }
    }
}
