namespace Actors.Pool;

/// <summary>How big a map's chunks are and how far ahead a caller submits: plain policy, no actors.</summary>
internal static class ChunkSizing
{
    /// <summary>Chunks per worker an automatic size aims for, as Python's <c>Pool.map</c> does.</summary>
    private const int ChunksPerWorker = 4;

    /// <summary>The automatic size when the input count is unknown (a lazy sequence or stream).</summary>
    private const int UnknownCountSize = 64;

    /// <summary>
    /// Inputs per chunk: the caller's choice, else the pool's setting, else automatic: about four
    /// chunks per worker, at most <paramref name="maxAuto"/>.
    /// </summary>
    public static int ChunkSize(int? requested, int configured, int maxAuto, long? total, int workers)
    {
        if (requested is { } size) return size;
        if (configured > 0) return configured;
        if (total is not { } count) return Math.Min(maxAuto, UnknownCountSize);
        var perWorker = Math.Max(1, workers) * (long)ChunksPerWorker;
        return (int)Math.Clamp((count + perWorker - 1) / perWorker, 1, maxAuto);
    }

    /// <summary>Inputs a caller may have submitted and not yet consumed.</summary>
    public static long Window(int chunkSize, int windowPerWorker, int workers) => (long)chunkSize * windowPerWorker * Math.Max(1, workers);
}
