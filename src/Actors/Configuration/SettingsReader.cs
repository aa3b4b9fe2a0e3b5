using System.Globalization;
using Akka.Configuration;

namespace Actors.Configuration;

/// <summary>
/// Reads one HOCON section for a settings type, with the library's <c>reference.conf</c> beneath
/// it (the only place defaults live). Every value that is of the wrong kind or out of range is a
/// <see cref="ConfigException"/> naming its full key and value, e.g.
/// <c>actors.pool.chunk-size = abc: must be a whole number</c>.
/// </summary>
internal sealed class SettingsReader
{
    private readonly Config _section;

    private SettingsReader(Config section, string path)
    {
        _section = section;
        Path = path;
    }

    /// <summary>The section's full path, e.g. <c>actors.pool</c>.</summary>
    public string Path { get; }

    /// <summary>The section itself, over its defaults.</summary>
    public Config Config => _section;

    /// <summary>
    /// Reads the section at <paramref name="path"/> over its defaults. <paramref name="config"/> may be
    /// a whole configuration (the section is taken from it) or the section itself, possibly empty.
    /// </summary>
    public static SettingsReader For(Config? config, string path)
    {
        var defaults = ActorsConfig.Defaults.GetConfig(path)
            ?? throw new InvalidOperationException($"the embedded reference.conf has no '{path}' section");
        var section = config is not null && !config.IsEmpty && config.HasPath(path) ? config.GetConfig(path) : config;
        return new SettingsReader(section is null || section.IsEmpty ? defaults : section.WithFallback(defaults), path);
    }

    /// <summary>The subsection <paramref name="key"/>, read the same way.</summary>
    public SettingsReader Section(string key) => For(_section.GetConfig(key), $"{Path}.{key}");

    public int Int(string key) => Read(key, "a whole number", k => _section.GetInt(k));

    public bool Bool(string key) => Read(key, "on or off", k => _section.GetBoolean(k));

    public string String(string key) => Read(key, "a string", k => _section.GetString(k)) ?? "";

    public IReadOnlyList<string> Strings(string key) => Read(key, "a list of strings", k => _section.GetStringList(k))?.ToArray() ?? [];

    public TimeSpan Duration(string key) => Read(key, "a duration such as 500ms or 10s", k => _section.GetTimeSpan(k, null, allowInfinite: false));

    private T Read<T>(string key, string kind, Func<string, T> read)
    {
        if (!_section.HasPath(key)) throw new ConfigException($"{Path}.{key} is missing");
        try
        {
            return read(key);
        }
        catch (Exception e) when (e is FormatException or OverflowException or NotSupportedException or ConfigurationException or InvalidCastException or ArgumentException)
        {
            throw new ConfigException($"{Path}.{key} = {TextOf(key)}: must be {kind}", e);
        }
    }

    private string TextOf(string key)
    {
        try
        {
            return _section.GetString(key);
        }
        catch (Exception e) when (e is ConfigurationException or InvalidCastException or ArgumentException)
        {
            return "(not a single value)";
        }
    }
}
