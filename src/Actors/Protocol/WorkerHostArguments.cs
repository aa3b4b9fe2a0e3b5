namespace Actors.Protocol;

/// <summary>
/// The command line of a worker host (<c>actors node --role worker …</c>), defined once: the pool
/// that starts worker processes writes it with <see cref="ToArguments"/>, the <c>node</c> command
/// reads it under the option names below, and benchmarks and tests start hosts the same way.
/// </summary>
internal sealed record WorkerHostArguments
{
    /// <summary>The command word and role that make the <c>actors</c> command a worker host.</summary>
    public static readonly IReadOnlyList<string> Command = ["node", "--role", "worker"];

    public const string HostnameOption = "--hostname";
    public const string PortOption = "--port";
    public const string ParentPidOption = "--parent-pid";
    public const string AssemblyOption = "--assembly";
    public const string WorkersOption = "--workers";
    public const string ConfigOption = "--config";
    public const string ModeOption = "--mode";
    public const string OverrideOption = "--override";

    /// <summary>The path of the actor in a worker host that owns its workers and answers <see cref="ListWorkers"/>.</summary>
    public const string WorkersPath = "/user/workers";

    /// <summary>The interface to bind; loopback unless a user says otherwise.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>The port to bind; 0 takes any free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// The process id of the pool that started this host, null for a host started by hand. A
    /// pool-started host takes its credentials from standard input, stops at its end, and exits when
    /// that process does.
    /// </summary>
    public int? ParentPid { get; init; }

    /// <summary>Assemblies holding job types, loaded before any work arrives; only their jobs (and the built-in ones) run there.</summary>
    public IReadOnlyList<string> Assemblies { get; init; } = [];

    /// <summary>How many workers the host creates.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>The configuration mode file the pool was loaded with (<c>config/MODE.hocon</c>), so the host reads the same settings.</summary>
    public string? Mode { get; init; }

    /// <summary>The user's configuration file the pool was loaded with.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>The HOCON overrides the pool was loaded with, first one lowest.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>The arguments after the host executable, starting with <see cref="Command"/>.</summary>
    public IEnumerable<string> ToArguments()
    {
        foreach (var word in Command) yield return word;
        yield return HostnameOption;
        yield return Hostname;
        yield return PortOption;
        yield return Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (ParentPid is { } pid)
        {
            yield return ParentPidOption;
            yield return pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        foreach (var assembly in Assemblies)
        {
            yield return AssemblyOption;
            yield return assembly;
        }
        yield return WorkersOption;
        yield return Workers.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Mode is not null)
        {
            yield return ModeOption;
            yield return Mode;
        }
        if (ConfigFile is not null)
        {
            yield return ConfigOption;
            yield return ConfigFile;
        }
        foreach (var text in Overrides)
        {
            yield return OverrideOption;
            yield return text;
        }
    }
}
