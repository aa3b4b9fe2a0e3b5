using Actors.Jobs;

namespace Actors.Cli.Jobs;

/// <summary>The jobs <c>actors map</c> runs, by their command-line names (<c>square</c>, <c>sum-range</c>, …).</summary>
internal static class JobCatalog
{
    private static readonly IReadOnlyDictionary<string, Func<IJobContract<long, long>>> BuiltIns =
        new Dictionary<string, Func<IJobContract<long, long>>>(StringComparer.OrdinalIgnoreCase)
        {
            ["square"] = () => new SquareJob(),
            ["sum-range"] = () => new SumRangeJob(),
            ["sleep"] = () => new SleepJob(),
            ["fail"] = () => new FailJob(),
            ["crash"] = () => new CrashJob(),
        };

    /// <summary>The names <see cref="TryGet"/> knows.</summary>
    public static IEnumerable<string> Names => BuiltIns.Keys.Order();

    /// <summary>Finds a built-in job by name.</summary>
    public static bool TryGet(string name, out IJobContract<long, long> job)
    {
        if (BuiltIns.TryGetValue(name, out var create))
        {
            job = create();
            return true;
        }
        job = null!;
        return false;
    }
}
