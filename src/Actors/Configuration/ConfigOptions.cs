namespace Actors.Configuration;

/// <summary>
/// Where configuration comes from. Later sources win: the library's <c>reference.conf</c>, then
/// <c>base.hocon</c> and <c>{Mode}.hocon</c> from <see cref="Directory"/> (each one it lacks from
/// the presets built into the library), then <see cref="File"/>, then <see cref="Overrides"/>.
/// </summary>
public sealed record ConfigOptions
{
    /// <summary>The folder holding <c>base.hocon</c> and the mode files; null looks for a
    /// <c>config</c> folder beside the application, then in the current directory.</summary>
    public string? Directory { get; init; }

    /// <summary>Which mode file to load (<c>local</c>, <c>processes</c>, <c>cluster</c>).</summary>
    public string Mode { get; init; } = "local";

    /// <summary>A user's own HOCON file (the CLI's <c>--config FILE</c>).</summary>
    public string? File { get; init; }

    /// <summary>HOCON snippets applied last, first one lowest.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];
}
