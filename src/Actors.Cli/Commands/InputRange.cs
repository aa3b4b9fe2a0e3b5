namespace Actors.Cli.Commands;

/// <summary>A half-open range of longs, <c>START..END</c>, as Python's <c>range(start, end)</c>.</summary>
internal readonly record struct InputRange(long Start, long End)
{
    /// <summary>How many inputs; a valid range never has more than <see cref="long.MaxValue"/>.</summary>
    public long Count => End - Start;

    /// <summary>The inputs, lazily; the sequence knows its count (for automatic chunking) without holding the values.</summary>
    public IEnumerable<long> Values()
    {
        var start = Start;
        return Count <= int.MaxValue ? Enumerable.Range(0, (int)Count).Select(i => start + i) : Unbounded(Start, End);
    }

    private static IEnumerable<long> Unbounded(long start, long end)
    {
        for (var i = start; i < end; i++) yield return i;
    }

    public override string ToString() => $"range({Start}, {End})";

    public static bool TryParse(string? text, out InputRange range, out string error)
    {
        range = default;
        error = "";
        var parts = text?.Split("..") ?? [];
        if (parts.Length != 2 || !long.TryParse(parts[0], out var start) || !long.TryParse(parts[1], out var end))
        {
            error = $"--range '{text}' is not START..END (two whole numbers, e.g. 0..1000000).";
            return false;
        }
        if (end < start)
        {
            error = $"--range '{text}': END must not be less than START.";
            return false;
        }
        // Counted in 128 bits: END - START of two longs can exceed what a long holds.
        if ((Int128)end - start > long.MaxValue)
        {
            error = $"--range '{text}' holds {(Int128)end - start} inputs, more than can be counted ({long.MaxValue}).";
            return false;
        }
        range = new InputRange(start, end);
        return true;
    }
}
