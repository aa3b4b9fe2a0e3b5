namespace Actors.Protocol;

/// <summary>
/// The command line of a worker host (<c>node --role worker …</c>), defined once: the pool that
/// starts worker processes writes it with <see cref="ToArguments"/>, the library's worker host reads
/// it with <see cref="Parse"/>, the <c>actors node</c> command reads it under the option names below,
/// and benchmarks and tests start hosts the same way.
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

    /// <summary>
    /// Reads a worker host's command line as <see cref="ToArguments"/> writes it (the options in any
    /// order after <see cref="Command"/>): the library's own worker host (the entry point of its
    /// assembly) starts from it.
    /// </summary>
    /// <exception cref="ArgumentException">The command line is not a worker host's: a missing or unknown option, or a bad value.</exception>
    public static WorkerHostArguments Parse(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count < Command.Count || !arguments.Take(Command.Count).SequenceEqual(Command, StringComparer.Ordinal))
            throw new ArgumentException($"a worker host's command line starts with '{string.Join(' ', Command)}'", nameof(arguments));
        var parsed = new WorkerHostArguments();
        var assemblies = new List<string>();
        var overrides = new List<string>();
        for (var i = Command.Count; i < arguments.Count; i += 2)
        {
            var option = arguments[i];
            if (i + 1 == arguments.Count) throw new ArgumentException($"{option} needs a value", nameof(arguments));
            var value = arguments[i + 1];
            parsed = option switch
            {
                HostnameOption => parsed with { Hostname = value },
                PortOption => parsed with { Port = Number(option, value, 0, 65535) },
                ParentPidOption => parsed with { ParentPid = Number(option, value, 1, int.MaxValue) },
                WorkersOption => parsed with { Workers = Number(option, value, 1, 1024) },
                ModeOption => parsed with { Mode = value },
                ConfigOption => parsed with { ConfigFile = value },
                AssemblyOption => Add(assemblies, value, parsed),
                OverrideOption => Add(overrides, value, parsed),
                _ => throw new ArgumentException($"unknown option '{option}'", nameof(arguments)),
            };
        }
        return parsed with { Assemblies = assemblies, Overrides = overrides };
    }

    private static WorkerHostArguments Add(List<string> values, string value, WorkerHostArguments parsed)
    {
        values.Add(value);
        return parsed;
    }

    private static int Number(string option, string value, int min, int max) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new ArgumentException($"{option} must be a number in {min}..{max}, not '{value}'", nameof(value));

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
