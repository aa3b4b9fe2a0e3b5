namespace Actors.Hosting;

/// <summary>
/// The library's settings in an application host, bound from configuration (the <c>Actors</c>
/// section of <c>appsettings.json</c>, environment variables, the command line) as ordinary .NET
/// options. A value left unset keeps what the actor system's HOCON says, and the HOCON defaults are
/// the library's <c>reference.conf</c>.
/// </summary>
/// <example><code>
/// "Actors": {
///   "Mode": "processes",
///   "Pools": { "jobs": { "Routees": 4, "MaxAttempts": 1, "Processes": { "Count": 2 } } },
///   "Buffers": { "items": { "Capacity": 1024 } }
/// }
/// </code></example>
public sealed class ActorsOptions
{
    /// <summary>The configuration section <see cref="ActorsServiceCollectionExtensions.AddActors"/> binds by default.</summary>
    public const string SectionName = "Actors";

    /// <summary>
    /// The actor system's mode file, as the command's <c>--mode</c>: <c>local</c> (no wire), <c>processes</c>
    /// (<c>config/processes.hocon</c>: remoting on loopback over TLS, for pools whose workers run in worker
    /// processes), <c>cluster</c> (<c>config/cluster.hocon</c>: a member of an Akka.Cluster whose worker
    /// members run the workers; give it its seeds and certificate files in HOCON), or the name of any other
    /// <c>config/MODE.hocon</c>. It is also the mode of every pool that does not choose its own.
    /// </summary>
    public string Mode { get; set; } = "local";

    /// <summary>The folder of the mode files; null looks for <c>config</c> beside the application, then in the current directory.</summary>
    public string? ConfigDirectory { get; set; }

    /// <summary>
    /// What Akka emits to the application's logger (<c>akka.loglevel</c>): <c>Debug</c>, <c>Info</c>,
    /// <c>Warning</c> or <c>Error</c>; null keeps the HOCON's <c>akka.loglevel</c>. The application's
    /// <c>Logging:LogLevel</c> filters further (Akka logs under the category <c>Akka.Actor.ActorSystem</c>).
    /// </summary>
    public string? AkkaLogLevel { get; set; }

    /// <summary>The pool injected without a key; null when there is only one.</summary>
    public string? DefaultPool { get; set; }

    /// <summary>The buffer injected without a key; null when there is only one.</summary>
    public string? DefaultBuffer { get; set; }

    /// <summary>The worker pools to run, by name (the pool's actor name and its key for injection).</summary>
    public Dictionary<string, ActorsPoolOptions> Pools { get; } = new(StringComparer.Ordinal);

    /// <summary>The bounded buffers to run, by name (the buffer's actor name and its key for injection).</summary>
    public Dictionary<string, ActorsBufferOptions> Buffers { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// One worker pool's settings: each property is the <c>actors.pool</c> key of the same name
/// (<c>ChunkSize</c> is <c>chunk-size</c>), checked by the same rules; unset ones come from HOCON.
/// <see cref="Router"/> and <see cref="Routees"/> write the pool's <c>akka.actor.deployment./NAME</c>.
/// </summary>
public sealed class ActorsPoolOptions
{
    /// <summary><c>local</c>, <c>processes</c> or <c>cluster</c> (<c>mode</c>); null takes <see cref="ActorsOptions.Mode"/>.</summary>
    public string? Mode { get; set; }

    /// <summary><c>round-robin</c> or <c>smallest-mailbox</c>; null keeps a configured router (round-robin when there is none).</summary>
    public string? Router { get; set; }

    /// <summary>Workers of a local pool (the router's <c>nr-of-instances</c>); null keeps a configured router's, else one per core.</summary>
    public int? Routees { get; set; }

    /// <summary><c>chunk-size</c>: inputs per chunk; 0 = automatic.</summary>
    public int? ChunkSize { get; set; }

    /// <summary><c>max-auto-chunk-size</c>.</summary>
    public int? MaxAutoChunkSize { get; set; }

    /// <summary><c>chunks-per-worker</c>.</summary>
    public int? ChunksPerWorker { get; set; }

    /// <summary><c>window-per-worker</c>.</summary>
    public int? WindowPerWorker { get; set; }

    /// <summary><c>max-attempts</c>: tries per input.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary><c>retry-job-exceptions</c>: run an input again when its job threw (a dead worker's inputs always run again).</summary>
    public bool? RetryJobExceptions { get; set; }

    /// <summary><c>task-timeout</c>; <c>00:00:00</c> = none.</summary>
    public TimeSpan? TaskTimeout { get; set; }

    /// <summary><c>tick-interval</c>.</summary>
    public TimeSpan? TickInterval { get; set; }

    /// <summary><c>probe-after</c>.</summary>
    public TimeSpan? ProbeAfter { get; set; }

    /// <summary><c>ask-timeout</c>.</summary>
    public TimeSpan? AskTimeout { get; set; }

    /// <summary><c>stop-timeout</c>.</summary>
    public TimeSpan? StopTimeout { get; set; }

    /// <summary>The <c>processes</c> subsection, for processes mode.</summary>
    public ActorsProcessesOptions Processes { get; } = new();

    /// <summary>The values set here, as HOCON under <c>actors.pool</c>.</summary>
    internal HoconText ToHocon()
    {
        const string pool = Pool.PoolSettings.SectionPath, processes = Actors.Processes.ProcessSettings.SectionPath;
        return new HoconText()
            .Set($"{pool}.mode", Mode)
            .Set($"{pool}.chunk-size", ChunkSize)
            .Set($"{pool}.max-auto-chunk-size", MaxAutoChunkSize)
            .Set($"{pool}.chunks-per-worker", ChunksPerWorker)
            .Set($"{pool}.window-per-worker", WindowPerWorker)
            .Set($"{pool}.max-attempts", MaxAttempts)
            .Set($"{pool}.retry-job-exceptions", RetryJobExceptions)
            .Set($"{pool}.task-timeout", TaskTimeout)
            .Set($"{pool}.tick-interval", TickInterval)
            .Set($"{pool}.probe-after", ProbeAfter)
            .Set($"{pool}.ask-timeout", AskTimeout)
            .Set($"{pool}.stop-timeout", StopTimeout)
            .Set($"{processes}.count", Processes.Count)
            .Set($"{processes}.max-per-core", Processes.MaxPerCore)
            .Set($"{processes}.workers-per-process", Processes.WorkersPerProcess)
            .Set($"{processes}.start-timeout", Processes.StartTimeout)
            .Set($"{processes}.orderly-stop-timeout", Processes.OrderlyStopTimeout)
            .Set($"{processes}.restart-backoff", Processes.RestartBackoff)
            .Set($"{processes}.max-restarts-per-minute", Processes.MaxRestartsPerMinute)
            .Set($"{processes}.host-command", Processes.HostCommand)
            .Set($"{processes}.assemblies", Processes.Assemblies)
            .Set($"{processes}.spawn", Processes.Spawn)
            .Set($"{processes}.nodes", Processes.Nodes);
    }
}

/// <summary>The <c>actors.pool.processes</c> keys of a pool in processes mode (<c>Count</c> is <c>count</c>, …).</summary>
public sealed class ActorsProcessesOptions
{
    /// <summary><c>count</c>: worker processes; 0 = one per core.</summary>
    public int? Count { get; set; }

    /// <summary><c>max-per-core</c>.</summary>
    public int? MaxPerCore { get; set; }

    /// <summary><c>workers-per-process</c>.</summary>
    public int? WorkersPerProcess { get; set; }

    /// <summary><c>start-timeout</c>.</summary>
    public TimeSpan? StartTimeout { get; set; }

    /// <summary><c>orderly-stop-timeout</c>.</summary>
    public TimeSpan? OrderlyStopTimeout { get; set; }

    /// <summary><c>restart-backoff</c>.</summary>
    public TimeSpan? RestartBackoff { get; set; }

    /// <summary><c>max-restarts-per-minute</c>.</summary>
    public int? MaxRestartsPerMinute { get; set; }

    /// <summary><c>host-command</c>: the worker host to start; empty = the library's own (<c>Actors.Core.dll</c>).</summary>
    public string? HostCommand { get; set; }

    /// <summary><c>assemblies</c>: job assemblies the workers load.</summary>
    public List<string>? Assemblies { get; set; }

    /// <summary><c>spawn</c>: start worker processes (off: serve only <see cref="Nodes"/>).</summary>
    public bool? Spawn { get; set; }

    /// <summary><c>nodes</c>: addresses of worker nodes started by hand.</summary>
    public List<string>? Nodes { get; set; }
}
