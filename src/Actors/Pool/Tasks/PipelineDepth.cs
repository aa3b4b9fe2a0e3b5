namespace Actors.Pool.Tasks;

/// <summary>
/// How many chunks one worker may hold at once (the one it runs, and those waiting in its mailbox
/// or on the wire): at least <see cref="Least"/>; more while its chunks are short, so that what it
/// holds covers <see cref="Horizon"/> of its own measured run time. Short chunks then pipeline
/// deeply enough to hide the round trip between the manager and the worker, and a worker never
/// holds much more work than the others: none ends a map long after them.
/// </summary>
/// <param name="Least">Chunks a worker may always hold, measured or not.</param>
/// <param name="Most">Chunks a worker may hold at most, however short they are; <see cref="Least"/> or less for a fixed depth.</param>
/// <param name="Horizon">The run time of the work a worker may hold, by the measure of the chunks it ran.</param>
internal sealed record PipelineDepth(int Least, int Most, TimeSpan Horizon)
{
    /// <summary>Weight of the newest run time in the running estimate (1 / 4): a few chunks reshape it.</summary>
    private const int SmoothingShift = 2;

    /// <summary>Always <paramref name="chunks"/>.</summary>
    public static PipelineDepth Fixed(int chunks) => new(chunks, chunks, TimeSpan.Zero);

    /// <summary>The chunks a worker may hold whose chunks take <paramref name="runTime"/> each; <see cref="Least"/> until that is known.</summary>
    public int For(TimeSpan? runTime)
    {
        if (Most <= Least || runTime is not { } perChunk) return Least;
        // One running, and enough behind it to fill the horizon.
        var behind = Horizon.Ticks / Math.Max(1, perChunk.Ticks);
        return (int)Math.Clamp(1 + behind, Least, Most);
    }

    /// <summary>The run-time estimate after a chunk that took <paramref name="sample"/> (zero: not measured, no change).</summary>
    public static TimeSpan? Estimate(TimeSpan? estimate, TimeSpan sample)
    {
        if (sample <= TimeSpan.Zero) return estimate;
        if (estimate is not { } before) return sample;
        return TimeSpan.FromTicks(before.Ticks + ((sample.Ticks - before.Ticks) >> SmoothingShift));
    }
}
