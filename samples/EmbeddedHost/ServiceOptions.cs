namespace EmbeddedHost;

/// <summary>The service's own settings (the <c>EmbeddedHost</c> section of appsettings.json).</summary>
internal sealed class ServiceOptions
{
    public const string SectionName = "EmbeddedHost";

    /// <summary>
    /// Where the service listens when nothing else says: used only when none of <c>--urls</c>,
    /// <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>/<c>HTTPS_PORTS</c> or <c>Kestrel:Endpoints</c> is set.
    /// </summary>
    public string DefaultUrls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The largest request body Kestrel reads (its default, 30 MB); past it, 413. The streaming <c>POST /map/{job}</c> has no limit.</summary>
    public long MaxBodyBytes { get; set; } = 30_000_000;

    /// <summary>The most inputs one request takes, on every endpoint that takes a list (<c>/map</c>, <c>/square</c>); larger maps go to the streaming <c>POST /map/{job}</c>.</summary>
    public int MaxInputs { get; set; } = 100_000;

    /// <summary>How long a put waits for room in a full buffer, and a take for an item in an empty one.</summary>
    public TimeSpan BufferWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most items one take answers.</summary>
    public int MaxTake { get; set; } = 100;

    /// <summary>The bulkhead: how many requests of each job class run at once, and how many may wait for a turn.</summary>
    public Dictionary<string, BulkheadOptions> Bulkheads { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>The concurrency limit of one job class.</summary>
internal sealed class BulkheadOptions
{
    /// <summary>Requests of the class that run at once.</summary>
    public int PermitLimit { get; set; } = 1;

    /// <summary>Requests of the class that wait for a turn; one more is answered 429 at once.</summary>
    public int QueueLimit { get; set; }
}
