namespace Actors.Telemetry;

/// <summary>What a pool's calls are tagged with: its name and its mode.</summary>
internal sealed record PoolTags(string Pool, string Mode);
