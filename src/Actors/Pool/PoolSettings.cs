using Akka.Configuration;

namespace Actors.Pool;

/// <summary>The <c>actors.pool</c> section: how the manager chunks, bounds and retries work.</summary>
public sealed record PoolSettings
{
    public PoolMode Mode { get; init; } = PoolMode.Local;
    public int ChunkSize { get; init; }
    public int MaxAutoChunkSize { get; init; } = 4096;
    public int ChunksPerWorker { get; init; } = 2;
    public int WindowPerWorker { get; init; } = 8;
    public int MaxAttempts { get; init; } = 3;
    public TimeSpan? TaskTimeout { get; init; }
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(100);
    public ProcessSettings Processes { get; init; } = new();

    /// <summary>Reads <c>actors.pool</c>; a missing key keeps its default, a bad value is a clear error.</summary>
    public static PoolSettings Create(Config section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var defaults = new PoolSettings();
        const string path = "actors.pool";
        var timeout = Read(section, path, "task-timeout", key => section.GetTimeSpan(key, TimeSpan.Zero, allowInfinite: false));
        var settings = new PoolSettings
        {
            Mode = ParseMode(section.GetString("mode", "local")),
            ChunkSize = Read(section, path, "chunk-size", key => section.GetInt(key, defaults.ChunkSize)),
            MaxAutoChunkSize = Read(section, path, "max-auto-chunk-size", key => section.GetInt(key, defaults.MaxAutoChunkSize)),
            ChunksPerWorker = Read(section, path, "chunks-per-worker", key => section.GetInt(key, defaults.ChunksPerWorker)),
            WindowPerWorker = Read(section, path, "window-per-worker", key => section.GetInt(key, defaults.WindowPerWorker)),
            MaxAttempts = Read(section, path, "max-attempts", key => section.GetInt(key, defaults.MaxAttempts)),
            TaskTimeout = timeout > TimeSpan.Zero ? timeout : null,
            TickInterval = Read(section, path, "tick-interval", key => section.GetTimeSpan(key, defaults.TickInterval, allowInfinite: false)),
            Processes = ProcessSettings.Create(section.GetConfig("processes") ?? Config.Empty),
        };
        settings.Validate();
        return settings;
    }

    internal void Validate()
    {
        Require(ChunkSize >= 0, "actors.pool.chunk-size", ChunkSize, "must be 0 (automatic) or more");
        Require(MaxAutoChunkSize >= 1, "actors.pool.max-auto-chunk-size", MaxAutoChunkSize, "must be at least 1");
        Require(ChunksPerWorker >= 1, "actors.pool.chunks-per-worker", ChunksPerWorker, "must be at least 1");
        Require(WindowPerWorker >= ChunksPerWorker, "actors.pool.window-per-worker", WindowPerWorker, "must be at least chunks-per-worker");
        Require(MaxAttempts >= 1, "actors.pool.max-attempts", MaxAttempts, "must be at least 1");
        Require(TickInterval > TimeSpan.Zero, "actors.pool.tick-interval", TickInterval, "must be positive");
        Processes.Validate();
    }

    /// <summary>Reads one key of the section at <paramref name="path"/>, naming it when its text is not of the kind it needs.</summary>
    internal static T Read<T>(Config section, string path, string key, Func<string, T> read)
    {
        try
        {
            return read(key);
        }
        catch (Exception e) when (e is FormatException or OverflowException or NotSupportedException or ConfigurationException)
        {
            throw new ArgumentException($"{path}.{key} = {section.GetString(key)}: {e.Message}", e);
        }
    }

    internal static void Require(bool condition, string key, object value, string rule)
    {
        if (!condition) throw new ArgumentException($"{key} = {value}: {rule}.");
    }

    private static PoolMode ParseMode(string text) => text.ToLowerInvariant() switch
    {
        "local" => PoolMode.Local,
        "processes" => PoolMode.Processes,
        _ => throw new ArgumentException($"actors.pool.mode = {text}: must be 'local' or 'processes'."),
    };
}

/// <summary>Where a pool's routees run.</summary>
public enum PoolMode
{
    /// <summary>On this process's threads.</summary>
    Local,

    /// <summary>Inside worker OS processes the pool starts and watches.</summary>
    Processes,
}

/// <summary>The <c>actors.pool.processes</c> section.</summary>
public sealed record ProcessSettings
{
    /// <summary>Worker processes to run; 0 means one per core.</summary>
    public int Count { get; init; }
    public int WorkersPerProcess { get; init; } = 1;
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxRestartsPerMinute { get; init; } = 30;
    public string HostCommand { get; init; } = "";
    public IReadOnlyList<string> Assemblies { get; init; } = [];

    /// <summary>Start worker processes (off: serve only the pre-started <see cref="Nodes"/>).</summary>
    public bool Spawn { get; init; } = true;

    /// <summary>Addresses of worker nodes started by hand (<c>actors node --role worker</c>).</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary><see cref="Count"/>, with 0 read as the core count.</summary>
    public int EffectiveCount => Count > 0 ? Count : Environment.ProcessorCount;

    public static ProcessSettings Create(Config section)
    {
        const string path = "actors.pool.processes";
        var defaults = new ProcessSettings();
        return new ProcessSettings
        {
            Count = PoolSettings.Read(section, path, "count", key => section.GetInt(key, defaults.Count)),
            WorkersPerProcess = PoolSettings.Read(section, path, "workers-per-process", key => section.GetInt(key, defaults.WorkersPerProcess)),
            StartTimeout = PoolSettings.Read(section, path, "start-timeout", key => section.GetTimeSpan(key, defaults.StartTimeout, allowInfinite: false)),
            MaxRestartsPerMinute = PoolSettings.Read(section, path, "max-restarts-per-minute", key => section.GetInt(key, defaults.MaxRestartsPerMinute)),
            HostCommand = section.GetString("host-command", ""),
            Assemblies = section.GetStringList("assemblies")?.ToArray() ?? [],
            Spawn = PoolSettings.Read(section, path, "spawn", key => section.GetBoolean(key, defaults.Spawn)),
            Nodes = section.GetStringList("nodes")?.ToArray() ?? [],
        };
    }

    internal void Validate()
    {
        PoolSettings.Require(Count >= 0, "actors.pool.processes.count", Count, "must be 0 (one per core) or more");
        PoolSettings.Require(WorkersPerProcess >= 1, "actors.pool.processes.workers-per-process", WorkersPerProcess, "must be at least 1");
        PoolSettings.Require(StartTimeout > TimeSpan.Zero, "actors.pool.processes.start-timeout", StartTimeout, "must be positive");
        PoolSettings.Require(Spawn || Nodes.Count > 0, "actors.pool.processes.spawn", Spawn, "must be on when no nodes are listed");
        foreach (var node in Nodes)
        {
            PoolSettings.Require(Uri.TryCreate(node, UriKind.Absolute, out _), "actors.pool.processes.nodes", node, "must be an address like akka.tcp://actors-worker@127.0.0.1:9001");
        }
        PoolSettings.Require(MaxRestartsPerMinute >= 0, "actors.pool.processes.max-restarts-per-minute", MaxRestartsPerMinute, "must be 0 or more");
    }
}
