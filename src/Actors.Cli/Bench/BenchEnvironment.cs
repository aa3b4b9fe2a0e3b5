using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using Actors.Buffer;

namespace Actors.Cli.Bench;

/// <summary>
/// The machine and build a benchmark ran on, printed above its figures so that a reader can judge
/// them: the figures of a shared, loaded or Debug-built machine say little on their own.
/// </summary>
/// <param name="Cores">Logical processors this process may use.</param>
/// <param name="LoadAverage">The 1, 5 and 15 minute load averages from <c>/proc/loadavg</c> when the run started; empty where the OS does not publish them.</param>
/// <param name="Runtime">The .NET runtime (e.g. <c>.NET 10.0.1</c>).</param>
/// <param name="Os">The operating system.</param>
/// <param name="Configuration">The build configuration of the command and the library (<c>Release</c>, or what else they were built as).</param>
/// <param name="ServerGc">Server garbage collector (else workstation).</param>
/// <param name="ConcurrentGc">Background (concurrent) collections enabled.</param>
/// <param name="Date">When the run started, UTC.</param>
public sealed record BenchEnvironment(
    int Cores,
    IReadOnlyList<double> LoadAverage,
    string Runtime,
    string Os,
    string Configuration,
    bool ServerGc,
    bool ConcurrentGc,
    DateTimeOffset Date)
{
    /// <summary>The configuration a benchmark must be built in.</summary>
    public const string Release = "Release";

    /// <summary>The load averages at the end of the run (set by the harness).</summary>
    public IReadOnlyList<double> LoadAverageAfter { get; init; } = [];

    /// <summary>Describes this process now.</summary>
    public static BenchEnvironment Capture() => new(
        Environment.ProcessorCount,
        ReadLoadAverage(),
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        BuildConfiguration(),
        GCSettings.IsServerGC,
        GCSettings.LatencyMode != GCLatencyMode.Batch,
        DateTimeOffset.UtcNow);

    /// <summary>
    /// The build configuration of the <c>actors</c> command and of the library it measures: their
    /// <see cref="AssemblyConfigurationAttribute"/>, and <c>Debug</c> whenever the JIT optimizer is
    /// disabled for either, whatever the attribute says.
    /// </summary>
    public static string BuildConfiguration()
    {
        var configurations = new[] { typeof(BenchEnvironment).Assembly, typeof(BoundedBuffer<>).Assembly }
            .Select(assembly => assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true
                ? "Debug"
                : assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "unknown")
            .Distinct()
            .ToList();
        return string.Join("+", configurations);
    }

    /// <summary>Why a build of <paramref name="configuration"/> must not benchmark, or <see langword="null"/> when it may.</summary>
    public static string? RefusalFor(string configuration) => configuration == Release
        ? null
        : $"bench needs a Release build (this is a {configuration} build, whose figures mean nothing): "
          + "dotnet run -c Release --project src/Actors.Cli -- bench NAME";

    /// <summary>The 1, 5 and 15 minute load averages, or none where <c>/proc/loadavg</c> does not exist.</summary>
    public static IReadOnlyList<double> ReadLoadAverage()
    {
        try
        {
            if (!File.Exists("/proc/loadavg"))
            {
                return [];
            }

            return File.ReadAllText("/proc/loadavg")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Take(3)
                .Select(value => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture))
                .ToList();
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The header lines of a text report.</summary>
    public IEnumerable<string> Describe()
    {
        yield return string.Create(CultureInfo.InvariantCulture, $"machine: {Cores} cores, load average {Load(LoadAverage)} at start, {Load(LoadAverageAfter)} at end, {Os}");
        yield return string.Create(CultureInfo.InvariantCulture, $"build:   {Runtime}, {Configuration}, {(ServerGc ? "server" : "workstation")} GC, {(ConcurrentGc ? "concurrent" : "non-concurrent")}");
        yield return string.Create(CultureInfo.InvariantCulture, $"date:    {Date:yyyy-MM-dd HH:mm:ss} UTC");

        static string Load(IReadOnlyList<double> load) => load.Count == 0
            ? "unknown"
            : string.Join(" ", load.Select(value => value.ToString("0.00", CultureInfo.InvariantCulture)));
    }
}
