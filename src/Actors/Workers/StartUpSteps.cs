using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Actors.Workers;

/// <summary>
/// How long each step of a worker host's start took, in wall-clock and CPU milliseconds since the
/// step before (the first since its process started), so start-up can be measured where it goes:
/// written to standard error in one line when <c>actors.pool.processes.log-start-up</c> is on, once
/// the host listens and again once it has answered its pool's first question.
/// </summary>
internal static class StartUpSteps
{
    private static readonly Lock Gate = new();
    private static readonly List<(string Step, double WallMs, double CpuMs)> Steps = [];
    private static DateTime _lastWall;
    private static TimeSpan _lastCpu;

    private static int _listed;

    /// <summary>Whether <see cref="FirstListed"/> marks its step and writes the steps again (set by a host that logs its start-up).</summary>
    public static bool DescribeAgainAtFirstList { get; set; }

    /// <summary>
    /// A pool asked this host for its workers: the host serves from now on. The first time, and only
    /// when <see cref="DescribeAgainAtFirstList"/>, marks <c>first list</c> (the pool's TLS handshake
    /// and Akka's association handshake since listening) and writes the steps to standard error again.
    /// </summary>
    public static void FirstListed()
    {
        if (!DescribeAgainAtFirstList || Interlocked.Exchange(ref _listed, 1) == 1) return;
        Mark("first list");
        Console.Error.WriteLine(Describe());
    }

    /// <summary>Marks the end of <paramref name="step"/>.</summary>
    public static void Mark(string step)
    {
        var now = DateTime.UtcNow;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        lock (Gate)
        {
            if (_lastWall == default) _lastWall = Process.GetCurrentProcess().StartTime.ToUniversalTime();
            Steps.Add((step, (now - _lastWall).TotalMilliseconds, (cpu - _lastCpu).TotalMilliseconds));
            _lastWall = now;
            _lastCpu = cpu;
        }
    }

    /// <summary>One line: <c>start-up: STEP WALL ms (cpu CPU ms), …; total WALL ms (cpu CPU ms)</c>.</summary>
    public static string Describe()
    {
        lock (Gate)
        {
            var line = new StringBuilder("start-up: ");
            foreach (var (step, wall, cpu) in Steps) line.Append(CultureInfo.InvariantCulture, $"{step} {wall:0} ms (cpu {cpu:0} ms), ");
            line.Append(CultureInfo.InvariantCulture, $"total {Steps.Sum(s => s.WallMs):0} ms (cpu {Steps.Sum(s => s.CpuMs):0} ms)");
            return line.ToString();
        }
    }
}
