using Actors.Configuration;
using Akka.Configuration;
using static Actors.Configuration.SettingRules;

namespace Actors.Processes;

/// <summary>The <c>actors.pool.processes</c> section: the worker hosts of a pool in processes mode (defaults in <c>reference.conf</c>).</summary>
public sealed record ProcessSettings
{
    /// <summary>The HOCON path of the section.</summary>
    public const string SectionPath = "actors.pool.processes";

    /// <summary>Worker processes to run; 0 means one per core (<c>count</c>).</summary>
    public required int Count { get; init; }

    /// <summary>The most worker processes per core a pool may start (<c>max-per-core</c>): a bound on <see cref="Count"/>.</summary>
    public required int MaxPerCore { get; init; }

    /// <summary>Workers each process or node creates (<c>workers-per-process</c>).</summary>
    public required int WorkersPerProcess { get; init; }

    /// <summary>How long a started worker process may take to report ready (<c>start-timeout</c>).</summary>
    public required TimeSpan StartTimeout { get; init; }

    /// <summary>How long a worker process gets to stop by itself before it is killed (<c>orderly-stop-timeout</c>).</summary>
    public required TimeSpan OrderlyStopTimeout { get; init; }

    /// <summary>How long the output of a worker process that exited is still read before its exit is reported (<c>exit-output-timeout</c>).</summary>
    public required TimeSpan ExitOutputTimeout { get; init; }

    /// <summary>The first wait before a worker host that failed to start (or a node that did not answer) is tried again; it doubles with each failure in a row, up to the start timeout (<c>restart-backoff</c>).</summary>
    public required TimeSpan RestartBackoff { get; init; }

    /// <summary>Replacements allowed per minute; more wait their turn (<c>max-restarts-per-minute</c>).</summary>
    public required int MaxRestartsPerMinute { get; init; }

    /// <summary>The worker host to start; empty for the library's own, <c>Actors.Core.dll</c> (<c>host-command</c>).</summary>
    public required string HostCommand { get; init; }

    /// <summary>Assemblies the workers load so that users' own job types resolve there (<c>assemblies</c>).</summary>
    public required IReadOnlyList<string> Assemblies { get; init; }

    /// <summary>Start worker processes; off serves only the <see cref="Nodes"/> (<c>spawn</c>).</summary>
    public required bool Spawn { get; init; }

    /// <summary>Addresses of worker nodes started by hand (<c>nodes</c>).</summary>
    public required IReadOnlyList<string> Nodes { get; init; }

    /// <summary><see cref="Count"/>, with 0 read as the core count.</summary>
    public int EffectiveCount => Count > 0 ? Count : Environment.ProcessorCount;

    /// <summary>Reads and validates the section (the section itself; keys it lacks come from <c>reference.conf</c>).</summary>
    /// <exception cref="ConfigException">A value is of the wrong kind or out of range; the message names its key.</exception>
    public static ProcessSettings Create(Config? section) => Create(SettingsReader.For(section, SectionPath));

    internal static ProcessSettings Create(SettingsReader read)
    {
        var settings = new ProcessSettings
        {
            Count = read.Int("count"),
            MaxPerCore = read.Int("max-per-core"),
            WorkersPerProcess = read.Int("workers-per-process"),
            StartTimeout = read.Duration("start-timeout"),
            OrderlyStopTimeout = read.Duration("orderly-stop-timeout"),
            ExitOutputTimeout = read.Duration("exit-output-timeout"),
            RestartBackoff = read.Duration("restart-backoff"),
            MaxRestartsPerMinute = read.Int("max-restarts-per-minute"),
            HostCommand = read.String("host-command"),
            Assemblies = read.Strings("assemblies"),
            Spawn = read.Bool("spawn"),
            Nodes = read.Strings("nodes"),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Checks every value, naming the key of the first one out of range.</summary>
    /// <exception cref="ConfigException">A value is out of range.</exception>
    public void Validate()
    {
        Require(MaxPerCore >= 1, Key("max-per-core"), MaxPerCore, "must be at least 1");
        var most = MaxPerCore * Environment.ProcessorCount;
        Require(Count >= 0 && Count <= most, Key("count"), Count,
            $"must be 0 (one per core) to {most} ({Key("max-per-core")} = {MaxPerCore} × {Environment.ProcessorCount} cores)");
        Require(WorkersPerProcess is >= 1 and <= 1024, Key("workers-per-process"), WorkersPerProcess, "must be 1 to 1024");
        Require(StartTimeout > TimeSpan.Zero, Key("start-timeout"), StartTimeout, "must be positive");
        Require(OrderlyStopTimeout > TimeSpan.Zero, Key("orderly-stop-timeout"), OrderlyStopTimeout, "must be positive");
        Require(ExitOutputTimeout > TimeSpan.Zero, Key("exit-output-timeout"), ExitOutputTimeout, "must be positive");
        Require(RestartBackoff > TimeSpan.Zero, Key("restart-backoff"), RestartBackoff, "must be positive");
        Require(MaxRestartsPerMinute >= 0, Key("max-restarts-per-minute"), MaxRestartsPerMinute, "must be 0 or more");
        Require(Spawn || Nodes.Count > 0, Key("spawn"), Spawn, "must be on when no nodes are listed");
        foreach (var node in Nodes)
            Require(Akka.Actor.Address.TryParse(node, out _), Key("nodes"), node, "must be an address like akka.ssl.tcp://actors-worker@127.0.0.1:9001 (akka.tcp:// with TLS off)");
    }

    private static string Key(string key) => $"{SectionPath}.{key}";
}
