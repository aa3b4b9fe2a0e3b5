namespace Actors.Cli.Bench;

/// <summary>
/// One competitor's single figure: how many items it moved and how long that took (the
/// benchmarks not yet on <see cref="BenchHarness"/>; harness rows are <see cref="BenchRow"/>s).
/// </summary>
/// <param name="Name">The competitor, as shown in reports.</param>
/// <param name="Items">Items moved end to end.</param>
/// <param name="Seconds">Wall-clock seconds for all of them.</param>
public sealed record BenchResult(string Name, long Items, double Seconds)
{
    /// <summary>Throughput; 0 when no time was measured.</summary>
    public double ItemsPerSecond => Seconds > 0 ? Items / Seconds : 0;
}
