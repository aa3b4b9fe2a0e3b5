namespace EmbeddedHost;

/// <summary>The service's own settings (the <c>EmbeddedHost</c> section of appsettings.json).</summary>
internal sealed class ServiceOptions
{
    public const string SectionName = "EmbeddedHost";

    /// <summary>The most inputs one <c>POST /map</c> takes; larger maps go to the streaming <c>POST /map/{job}</c>.</summary>
    public int MaxInputs { get; set; } = 100_000;

    /// <summary>How long a put waits for room in a full buffer, and a take for an item in an empty one.</summary>
    public TimeSpan BufferWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long <c>GET /health</c> waits for the pools and buffers to answer.</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most items one take answers.</summary>
    public int MaxTake { get; set; } = 100;
}
