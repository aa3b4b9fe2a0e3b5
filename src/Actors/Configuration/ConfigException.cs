namespace Actors.Configuration;

/// <summary>
/// A configuration file or setting that cannot be used. <see cref="Exception.Message"/> names the
/// file and line (<c>path:line: reason</c>) when the problem is in a file.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>The file the problem is in, when there is one.</summary>
    public string? File { get; init; }

    /// <summary>The 1-based line of the problem, when known.</summary>
    public int? Line { get; init; }

    internal static ConfigException At(string file, int line, string reason) =>
        new($"{file}:{line}: {reason}") { File = file, Line = line };
}
