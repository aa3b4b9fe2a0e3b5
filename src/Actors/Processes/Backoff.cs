namespace Actors.Processes;

/// <summary>How long to wait before trying again after failures in a row: doubling from a first wait, up to a bound.</summary>
internal static class Backoff
{
    public static TimeSpan After(int failures, TimeSpan first, TimeSpan most)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var wait = first.TotalMilliseconds * Math.Pow(2, doublings);
        return TimeSpan.FromMilliseconds(Math.Min(wait, most.TotalMilliseconds));
    }
}
