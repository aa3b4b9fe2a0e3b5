using System.Text.Json;
using Akka.Configuration;

namespace Actors.Configuration;

/// <summary>
/// Where a configuration came from (its mode, file and overrides), recorded in it under
/// <c>actors.config-sources</c> by <see cref="ActorsConfig.Load"/>, so that the worker processes a pool
/// starts load the very same settings.
/// </summary>
internal sealed record ConfigSources(string Mode, string? File, IReadOnlyList<string> Overrides)
{
    private const string Path = "actors.config-sources";

    /// <summary>The sources recorded in <paramref name="config"/>; null for a configuration not made by <see cref="ActorsConfig.Load"/>.</summary>
    public static ConfigSources? From(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.HasPath(Path + ".mode")) return null;
        var file = config.GetString(Path + ".file", "");
        return new ConfigSources(config.GetString(Path + ".mode"), file.Length == 0 ? null : file, config.GetStringList(Path + ".overrides")?.ToArray() ?? []);
    }

    internal static Config Record(ConfigOptions options)
    {
        // JSON strings are HOCON quoted strings: any override text survives the round trip.
        var overrides = string.Join(", ", options.Overrides.Select(text => JsonSerializer.Serialize(text)));
        var file = options.File is null ? "\"\"" : JsonSerializer.Serialize(System.IO.Path.GetFullPath(options.File));
        return ConfigurationFactory.ParseString(
            $"{Path} {{ mode = {JsonSerializer.Serialize(options.Mode)}, file = {file}, overrides = [{overrides}] }}");
    }
}
