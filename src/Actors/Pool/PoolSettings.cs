using Actors.Configuration;
using Actors.Processes;
using Akka.Configuration;
using static Actors.Configuration.SettingRules;

namespace Actors.Pool;

/// <summary>
/// The <c>actors.pool</c> section: how the manager chunks, bounds, times and retries work. Its
/// defaults, each with a comment, are in the library's <c>reference.conf</c>; read it with
/// <see cref="Create(Config)"/> and change single values with <c>with</c>.
/// </summary>
public sealed record PoolSettings
{
    /// <summary>The HOCON path of the section.</summary>
    public const string SectionPath = "actors.pool";

    private static readonly Lazy<PoolSettings> LazyDefault = new(() => Create(Config.Empty));

    /// <summary>The settings of the library's <c>reference.conf</c>.</summary>
    public static PoolSettings Default => LazyDefault.Value;

    /// <summary>Where the routees run (<c>mode</c>).</summary>
    public required PoolMode Mode { get; init; }

    /// <summary>Inputs per chunk when the caller does not choose; 0 = automatic (<c>chunk-size</c>).</summary>
    public required int ChunkSize { get; init; }

    /// <summary>The most inputs an automatic chunk holds (<c>max-auto-chunk-size</c>).</summary>
    public required int MaxAutoChunkSize { get; init; }

    /// <summary>Chunks one worker may hold at once (<c>chunks-per-worker</c>).</summary>
    public required int ChunksPerWorker { get; init; }

    /// <summary>Chunks a caller may have submitted and not yet consumed, per worker (<c>window-per-worker</c>).</summary>
    public required int WindowPerWorker { get; init; }

    /// <summary>Tries per input before it is reported failed (<c>max-attempts</c>).</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>Whether an input whose job threw is tried again (<c>retry-job-exceptions</c>); a lost worker's or a late input always is.</summary>
    public required bool RetryJobExceptions { get; init; }

    /// <summary>The longest one input may take once its worker has started its chunk; null for none (<c>task-timeout</c>).</summary>
    public required TimeSpan? TaskTimeout { get; init; }

    /// <summary>How often the manager checks deadlines and membership refreshes routees (<c>tick-interval</c>).</summary>
    public required TimeSpan TickInterval { get; init; }

    /// <summary>How long a worker may owe answers without giving any before it is probed (<c>probe-after</c>).</summary>
    public required TimeSpan ProbeAfter { get; init; }

    /// <summary>How long a question to the manager or a router may go unanswered (<c>ask-timeout</c>).</summary>
    public required TimeSpan AskTimeout { get; init; }

    /// <summary>How long disposing a pool waits for its manager to stop (<c>stop-timeout</c>).</summary>
    public required TimeSpan StopTimeout { get; init; }

    /// <summary>The <c>processes</c> subsection, used in processes mode.</summary>
    public required ProcessSettings Processes { get; init; }

    /// <summary>Reads the <c>actors.pool</c> section (the section itself; keys it lacks come from <c>reference.conf</c>) and validates it.</summary>
    /// <exception cref="ConfigException">A value is of the wrong kind or out of range; the message names its key.</exception>
    public static PoolSettings Create(Config? section)
    {
        var read = SettingsReader.For(section, SectionPath);
        var timeout = read.Duration("task-timeout");
        var settings = new PoolSettings
        {
            Mode = ParseMode(read.String("mode")),
            ChunkSize = read.Int("chunk-size"),
            MaxAutoChunkSize = read.Int("max-auto-chunk-size"),
            ChunksPerWorker = read.Int("chunks-per-worker"),
            WindowPerWorker = read.Int("window-per-worker"),
            MaxAttempts = read.Int("max-attempts"),
            RetryJobExceptions = read.Bool("retry-job-exceptions"),
            TaskTimeout = timeout == TimeSpan.Zero ? null : timeout,
            TickInterval = read.Duration("tick-interval"),
            ProbeAfter = read.Duration("probe-after"),
            AskTimeout = read.Duration("ask-timeout"),
            StopTimeout = read.Duration("stop-timeout"),
            Processes = ProcessSettings.Create(read.Section("processes")),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Checks every value, naming the key of the first one out of range.</summary>
    /// <exception cref="ConfigException">A value is out of range.</exception>
    public void Validate()
    {
        Require(ChunkSize >= 0, Key("chunk-size"), ChunkSize, "must be 0 (automatic) or more");
        Require(MaxAutoChunkSize >= 1, Key("max-auto-chunk-size"), MaxAutoChunkSize, "must be at least 1");
        Require(ChunksPerWorker >= 1, Key("chunks-per-worker"), ChunksPerWorker, "must be at least 1");
        Require(WindowPerWorker >= ChunksPerWorker, Key("window-per-worker"), WindowPerWorker, "must be at least chunks-per-worker");
        Require(MaxAttempts >= 1, Key("max-attempts"), MaxAttempts, "must be at least 1");
        Require(TaskTimeout is not { } timeout || timeout > TimeSpan.Zero, Key("task-timeout"), TaskTimeout, "must be 0s (none) or positive");
        Require(TickInterval > TimeSpan.Zero, Key("tick-interval"), TickInterval, "must be positive");
        Require(ProbeAfter > TimeSpan.Zero, Key("probe-after"), ProbeAfter, "must be positive");
        Require(AskTimeout > TimeSpan.Zero, Key("ask-timeout"), AskTimeout, "must be positive");
        Require(StopTimeout > TimeSpan.Zero, Key("stop-timeout"), StopTimeout, "must be positive");
        Processes.Validate();
    }

    private static string Key(string key) => $"{SectionPath}.{key}";

    private static PoolMode ParseMode(string text) => text.ToLowerInvariant() switch
    {
        "local" => PoolMode.Local,
        "processes" => PoolMode.Processes,
        "cluster" => PoolMode.Cluster,
        _ => throw new ConfigException($"{SectionPath}.mode = {text}: must be local, processes or cluster"),
    };
}

/// <summary>Where a pool's routees run.</summary>
public enum PoolMode
{
    /// <summary>On this process's threads.</summary>
    Local,

    /// <summary>Inside worker OS processes the pool starts and watches, or on worker nodes it is given.</summary>
    Processes,

    /// <summary>On the worker members of an Akka.Cluster, deployed by a cluster-aware router pool.</summary>
    Cluster,
}
