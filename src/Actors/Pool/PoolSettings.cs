using Actors.Configuration;
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

    /// <summary>
    /// Where the workers live (<c>mode</c>): the name of a placement in <c>actors.placements</c> —
    /// <c>local</c> (threads of this process), <c>processes</c> (worker processes it starts, or listed
    /// worker nodes) or <c>cluster</c> (the worker members of an Akka.Cluster).
    /// </summary>
    public required string Mode { get; init; }

    /// <summary>Whether <see cref="Mode"/> is the default placement, on this process's threads.</summary>
    internal bool IsLocal => string.Equals(Mode, "local", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The section these settings were read from, where each placement reads its own subsection
    /// (<c>processes</c>, …). Compared by reference: settings read twice from one text are equal
    /// only once this is made the same.
    /// </summary>
    internal Config Section { get; init; } = Config.Empty;

    /// <summary>Inputs per chunk when the caller does not choose; 0 = automatic (<c>chunk-size</c>).</summary>
    public required int ChunkSize { get; init; }

    /// <summary>The most inputs an automatic chunk holds (<c>max-auto-chunk-size</c>).</summary>
    public required int MaxAutoChunkSize { get; init; }

    /// <summary>Chunks one worker may always hold at once (<c>chunks-per-worker</c>).</summary>
    public required int ChunksPerWorker { get; init; }

    /// <summary>Chunks one worker may hold while its chunks are short; 0 = <see cref="ChunksPerWorker"/>, a fixed depth (<c>max-chunks-per-worker</c>).</summary>
    public int MaxChunksPerWorker { get; init; }

    /// <summary>The run time of the work one worker may hold beyond <see cref="ChunksPerWorker"/> chunks, by its own measure (<c>pipeline-horizon</c>).</summary>
    public TimeSpan PipelineHorizon { get; init; }

    /// <summary>How long a worker may hold the answers of a batch's short chunks to send them together; 0 = each at once (<c>answer-hold</c>).</summary>
    public TimeSpan AnswerHold { get; init; }

    /// <summary>Chunks a caller may have submitted and not yet consumed, per worker (<c>window-per-worker</c>).</summary>
    public required int WindowPerWorker { get; init; }

    /// <summary>Inputs a caller may have submitted and not yet consumed, per worker, at least, whatever the chunk size (<c>window-inputs-per-worker</c>).</summary>
    public int WindowInputsPerWorker { get; init; }

    /// <summary>How deep each worker's pipeline may be, from <see cref="ChunksPerWorker"/>, <see cref="MaxChunksPerWorker"/> and <see cref="PipelineHorizon"/>.</summary>
    internal Tasks.PipelineDepth Depth => new(ChunksPerWorker, Math.Max(ChunksPerWorker, MaxChunksPerWorker), PipelineHorizon);

    /// <summary>Tries per input before it is reported failed (<c>max-attempts</c>).</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>Whether an input whose job threw is tried again (<c>retry-job-exceptions</c>); a lost worker's or a late input always is.</summary>
    public required bool RetryJobExceptions { get; init; }

    /// <summary>The longest one input may take once its worker has started its chunk; null for none (<c>task-timeout</c>).</summary>
    public required TimeSpan? TaskTimeout { get; init; }

    /// <summary>How long a worker may go on with a chunk past its deadline (told to cancel it) before it is retired (<c>retire-after</c>).</summary>
    public TimeSpan RetireAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a worker may be silent, running one chunk, before the chunks it holds behind that one
    /// go to an idle worker (<c>steal-after</c>); zero: never.
    /// </summary>
    public TimeSpan StealAfter { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the manager checks deadlines and membership refreshes routees (<c>tick-interval</c>).</summary>
    public required TimeSpan TickInterval { get; init; }

    /// <summary>How long a worker may owe answers without giving any before it is probed (<c>probe-after</c>).</summary>
    public required TimeSpan ProbeAfter { get; init; }

    /// <summary>How long a question to the manager or a router may go unanswered (<c>ask-timeout</c>).</summary>
    public required TimeSpan AskTimeout { get; init; }

    /// <summary>How long disposing a pool waits for its manager to stop (<c>stop-timeout</c>).</summary>
    public required TimeSpan StopTimeout { get; init; }

    /// <summary>Reads the <c>actors.pool</c> section (the section itself; keys it lacks come from <c>reference.conf</c>) and validates it.</summary>
    /// <exception cref="ConfigException">A value is of the wrong kind or out of range; the message names its key.</exception>
    public static PoolSettings Create(Config? section)
    {
        var read = SettingsReader.For(section, SectionPath);
        var timeout = read.Duration("task-timeout");
        var settings = new PoolSettings
        {
            Mode = read.String("mode").Trim().ToLowerInvariant(),
            ChunkSize = read.Int("chunk-size"),
            MaxAutoChunkSize = read.Int("max-auto-chunk-size"),
            ChunksPerWorker = read.Int("chunks-per-worker"),
            MaxChunksPerWorker = read.Int("max-chunks-per-worker"),
            PipelineHorizon = read.Duration("pipeline-horizon"),
            AnswerHold = read.Duration("answer-hold"),
            WindowPerWorker = read.Int("window-per-worker"),
            WindowInputsPerWorker = read.Int("window-inputs-per-worker"),
            MaxAttempts = read.Int("max-attempts"),
            RetryJobExceptions = read.Bool("retry-job-exceptions"),
            TaskTimeout = timeout == TimeSpan.Zero ? null : timeout,
            RetireAfter = read.Duration("retire-after"),
            StealAfter = read.Duration("steal-after"),
            TickInterval = read.Duration("tick-interval"),
            ProbeAfter = read.Duration("probe-after"),
            AskTimeout = read.Duration("ask-timeout"),
            StopTimeout = read.Duration("stop-timeout"),
            Section = read.Config,
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
        Require(MaxChunksPerWorker == 0 || MaxChunksPerWorker >= ChunksPerWorker, Key("max-chunks-per-worker"), MaxChunksPerWorker, "must be 0 (chunks-per-worker) or at least chunks-per-worker");
        Require(PipelineHorizon >= TimeSpan.Zero, Key("pipeline-horizon"), PipelineHorizon, "must be 0s or positive");
        Require(AnswerHold >= TimeSpan.Zero, Key("answer-hold"), AnswerHold, "must be 0s (answer at once) or positive");
        Require(WindowPerWorker >= ChunksPerWorker, Key("window-per-worker"), WindowPerWorker, "must be at least chunks-per-worker");
        Require(WindowInputsPerWorker >= 0, Key("window-inputs-per-worker"), WindowInputsPerWorker, "must be 0 (none) or more");
        Require(MaxAttempts >= 1, Key("max-attempts"), MaxAttempts, "must be at least 1");
        Require(TaskTimeout is not { } timeout || timeout > TimeSpan.Zero, Key("task-timeout"), TaskTimeout, "must be 0s (none) or positive");
        Require(RetireAfter >= TimeSpan.Zero, Key("retire-after"), RetireAfter, "must be 0s or positive");
        Require(StealAfter >= TimeSpan.Zero, Key("steal-after"), StealAfter, "must be 0s (never) or positive");
        Require(TickInterval > TimeSpan.Zero, Key("tick-interval"), TickInterval, "must be positive");
        Require(ProbeAfter > TimeSpan.Zero, Key("probe-after"), ProbeAfter, "must be positive");
        Require(AskTimeout > TimeSpan.Zero, Key("ask-timeout"), AskTimeout, "must be positive");
        Require(StopTimeout > TimeSpan.Zero, Key("stop-timeout"), StopTimeout, "must be positive");
        Placement.WorkerPlacements.Named(Mode, null); // every placement is the library's: its reference.conf lists them all
        // Each placement's own subsection (processes.count, …) is checked wherever it is set, in any mode.
        foreach (var placement in Placement.WorkerPlacements.All()) placement.CheckSettings(this);
    }

    private static string Key(string key) => $"{SectionPath}.{key}";
}
