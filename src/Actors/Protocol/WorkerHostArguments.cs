namespace Actors.Protocol;

/// <summary>
/// The command line of a worker host (<c>actors node --role worker …</c>), defined once: the pool
/// that starts worker processes writes it with <see cref="ToArguments"/>, the <c>node</c> command
/// reads it under the option names below, and benchmarks and tests start hosts the same way.
/// </summary>
public sealed record WorkerHostArguments
{
    /// <summary>The command word and role that make the <c>actors</c> command a worker host.</summary>
    public static readonly IReadOnlyList<string> Command = ["node", "--role", "worker"];

    public const string HostnameOption = "--hostname";
    public const string PortOption = "--port";
    public const string ParentOption = "--parent";
    public const string ParentPidOption = "--parent-pid";
    public const string AssemblyOption = "--assembly";

    /// <summary>The interface to bind; loopback unless a user says otherwise.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>The port to bind; 0 takes any free one.</summary>
    public int Port { get; init; }

    /// <summary>The actor path of the pool that started this host; it is told when the host is ready.</summary>
    public string? Parent { get; init; }

    /// <summary>The process id of that pool's process; the host exits when it does.</summary>
    public int? ParentPid { get; init; }

    /// <summary>Assemblies holding job types, loaded before any work arrives.</summary>
    public IReadOnlyList<string> Assemblies { get; init; } = [];

    /// <summary>The arguments after the host executable, starting with <see cref="Command"/>.</summary>
    public IEnumerable<string> ToArguments()
    {
        foreach (var word in Command) yield return word;
        yield return HostnameOption;
        yield return Hostname;
        yield return PortOption;
        yield return Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Parent is not null)
        {
            yield return ParentOption;
            yield return Parent;
        }
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
    }
}
