namespace Actors.Tests;

/// <summary>
/// Specs that measure the whole process (its allocations) run alone, after every other spec of
/// this project: another spec running beside them would be counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone in the process";
}
