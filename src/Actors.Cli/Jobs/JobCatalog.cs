using Actors.Jobs;

namespace Actors.Cli.Jobs;

/// <summary>The jobs <c>actors map</c> runs, by their command-line names (<c>square</c>, <c>sum-range</c>, …).</summary>
internal static class JobCatalog
{
    private sealed record Entry(Func<IJobContract<long, long>> Create, long MinimumInput);

    private static readonly IReadOnlyDictionary<string, Entry> BuiltIns =
        new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase)
        {
            ["square"] = new(() => new SquareJob(), long.MinValue),
            ["sum-range"] = new(() => new SumRangeJob(), 0),
            ["sleep"] = new(() => new SleepJob(), 0),
            ["fail"] = new(() => new FailJob(), long.MinValue),
            ["crash"] = new(() => new CrashJob(), long.MinValue),
        };

    /// <summary>The names <see cref="TryGet(string, out IJobContract{long, long})"/> knows.</summary>
    public static IEnumerable<string> Names => BuiltIns.Keys.Order();

    /// <summary>Finds a built-in job by name.</summary>
    public static bool TryGet(string name, out IJobContract<long, long> job) => TryGet(name, out job, out _);

    /// <summary>Finds a built-in job by name, with the least input it accepts.</summary>
    public static bool TryGet(string name, out IJobContract<long, long> job, out long minimumInput)
    {
        if (BuiltIns.TryGetValue(name, out var entry))
        {
            (job, minimumInput) = (entry.Create(), entry.MinimumInput);
            return true;
        }
        (job, minimumInput) = (null!, 0);
        return false;
    }
}
