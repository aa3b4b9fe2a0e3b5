using Actors.Jobs;

namespace Actors.Cli.Jobs;

/// <summary>Returns its input, but throws for negative inputs: a job that fails for chosen inputs.</summary>
public sealed class FailJob : IJob<long, long>
{
    public long Run(long input) =>
        input < 0 ? throw new InvalidOperationException($"fail job refuses negative input {input}") : input;
}

/// <summary>
/// Returns its input, but kills the whole process for negative inputs (<see cref="Environment.FailFast(string)"/>):
/// a poison task, for showing that worker processes isolate crashes. Never run it in local mode.
/// </summary>
public sealed class CrashJob : IJob<long, long>
{
    public long Run(long input)
    {
        if (input < 0) Environment.FailFast($"crash job was given {input}");
        return input;
    }
}
