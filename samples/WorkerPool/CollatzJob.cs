using Actors.Jobs;

namespace WorkerPoolSample;

/// <summary>
/// A job written by a user of the library: how many Collatz steps <c>n</c> needs to reach 1.
/// A job is a public class with a parameterless constructor; the pool refers to it by its type,
/// so a worker in another process can build its own instance.
/// </summary>
public sealed class CollatzJob : IJob<long, int>
{
    public int Run(long n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var steps = 0;
        while (n != 1)
        {
            // Checked: past long.MaxValue / 3 the sequence would wrap and could cycle forever; it fails instead.
            n = (n & 1) == 0 ? n / 2 : checked(3 * n + 1);
            steps++;
        }
        return steps;
    }
}
