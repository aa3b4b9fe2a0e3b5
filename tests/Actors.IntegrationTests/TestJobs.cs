using System.Diagnostics;
using Actors.Jobs;

namespace Actors.IntegrationTests;

/// <summary>A user's own CPU-bound job: spins about 20 µs, then returns 3·x + 1. Lives only in
/// this assembly, so a worker process can run it only when told to load the assembly.</summary>
public sealed class SpinJob : IJob<long, long>
{
    public long Run(long input)
    {
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 50_000;
        while (Stopwatch.GetTimestamp() < until) { }
        return 3 * input + 1;
    }
}

/// <summary>A user's record types crossing the process boundary through System.Text.Json.</summary>
public sealed record Rectangle(double Width, double Height);

/// <summary>Computes an area: a job whose input and output are not primitives.</summary>
public sealed class AreaJob : IJob<Rectangle, double>
{
    public double Run(Rectangle input) => input.Width * input.Height;
}

/// <summary>Returns its input, but kills its whole process for negative inputs: a poison input.</summary>
public sealed class PoisonJob : IJob<long, long>
{
    public long Run(long input)
    {
        if (input < 0) Environment.FailFast($"poison job was given {input}");
        return input;
    }
}
