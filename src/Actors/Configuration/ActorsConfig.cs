using System.Reflection;
using System.Text.RegularExpressions;
using Akka.Configuration;

namespace Actors.Configuration;

/// <summary>
/// The one loader of this project's HOCON: defaults, the presets (<c>base</c> and the mode's file,
/// from a <c>config/</c> folder when there is one, else built into this assembly), a user's file
/// and explicit overrides, composed in that order. Malformed text is reported as
/// <c>file:line: reason</c> through <see cref="ConfigException"/>.
/// </summary>
public static partial class ActorsConfig
{
    /// <summary>The resource names of the built-in presets: <c>Actors.config.NAME.hocon</c>.</summary>
    private const string PresetPrefix = "Actors.config.";

    private static readonly Lazy<Config> LazyDefaults = new(() =>
    {
        using var stream = typeof(ActorsConfig).Assembly.GetManifestResourceStream("Actors.reference.conf")
            ?? throw new InvalidOperationException("Actors.reference.conf is not embedded in the Actors assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "Actors.reference.conf");
    });

    /// <summary>The library's defaults (its embedded <c>reference.conf</c>).</summary>
    public static Config Defaults => LazyDefaults.Value;

    /// <summary>Composes the configuration that <paramref name="options"/> describes.</summary>
    /// <exception cref="ConfigException">A file is missing or malformed, or the mode is unknown.</exception>
    public static Config Load(ConfigOptions? options = null)
    {
        options ??= new ConfigOptions();
        var layers = new List<Config>();
        var directory = options.Directory ?? FindConfigDirectory();
        if (Preset("base", directory) is { } baseFile) layers.Add(baseFile);
        if (ModeFile(options.Mode, directory) is { } modeFile) layers.Add(modeFile);
        if (options.File is not null) layers.Add(ParseFile(options.File));
        layers.AddRange(options.Overrides.Select((text, i) => Parse(text, $"override #{i + 1}")));

        var config = Defaults;
        foreach (var layer in layers) config = layer.WithFallback(config);
        return ConfigSources.Record(options).WithFallback(config);
    }

    /// <summary>
    /// The configuration an actor system embedded in an application starts from in
    /// <paramref name="mode"/>: <c>MODE.hocon</c> of the config folder over the library's defaults,
    /// without <c>base.hocon</c> (the command's own choices, such as its console logger). Worker
    /// processes a pool starts load the same mode file.
    /// </summary>
    /// <param name="mode"><c>local</c> (the mode file is optional) or the name of a mode file (<c>processes</c>).</param>
    /// <param name="directory">The folder of the mode files; null looks for <c>config</c> beside the application, then in the current directory. A mode file it lacks is taken from the built-in presets.</param>
    /// <exception cref="ConfigException">The mode file is missing or malformed.</exception>
    public static Config ForMode(string mode, string? directory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mode);
        var config = ModeFile(mode, directory ?? FindConfigDirectory()) is { } modeFile ? modeFile.WithFallback(Defaults) : Defaults;
        return ConfigSources.Record(new ConfigOptions { Mode = mode }).WithFallback(config);
    }

    private static Config? ModeFile(string mode, string? directory) =>
        Preset(mode, directory) ?? (mode == "local" ? null : throw UnknownMode(mode, directory));

    /// <summary>
    /// <c>NAME.hocon</c> from the config folder when it has one, else the preset of that name built
    /// into this assembly (the files of the repository's <c>config/</c>); null when neither exists.
    /// </summary>
    private static Config? Preset(string name, string? directory)
    {
        if (directory is not null)
        {
            var path = Path.Combine(directory, name + ".hocon");
            if (System.IO.File.Exists(path)) return ParseFile(path);
        }
        var resource = PresetPrefix + name + ".hocon";
        using var stream = typeof(ActorsConfig).Assembly.GetManifestResourceStream(resource);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), resource);
    }

    /// <summary>The names of the presets built into this assembly, <c>base</c> left out.</summary>
    private static IEnumerable<string> BuiltInModes() => typeof(ActorsConfig).Assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith(PresetPrefix, StringComparison.Ordinal) && name.EndsWith(".hocon", StringComparison.Ordinal))
        .Select(name => name[PresetPrefix.Length..^".hocon".Length]);

    /// <summary>Parses one HOCON file, naming the file and line of any syntax error.</summary>
    public static Config ParseFile(string path)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot read the configuration file ({e.Message})", e) { File = path };
        }
        return Parse(text, path);
    }

    /// <summary>Parses HOCON text; <paramref name="source"/> names it in error messages.</summary>
    public static Config Parse(string text, string source)
    {
        if (HoconSyntax.Check(text) is var (line, reason)) throw ConfigException.At(source, line, reason);
        try
        {
            return ConfigurationFactory.ParseString(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var position = PositionPattern().Match(e.Message);
            var errorLine = position.Success
                ? 1 + text.AsSpan(0, Math.Min(text.Length, int.Parse(position.Groups[1].Value))).Count('\n')
                : 1;
            var firstLine = e.Message.Split('\n')[0].Trim();
            throw new ConfigException($"{source}:{errorLine}: {firstLine}", e) { File = source, Line = errorLine };
        }
    }

    private static string? FindConfigDirectory()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "config");
        if (System.IO.Directory.Exists(beside)) return beside;
        var current = Path.Combine(Environment.CurrentDirectory, "config");
        return System.IO.Directory.Exists(current) ? current : null;
    }

    private static ConfigException UnknownMode(string mode, string? directory)
    {
        var files = directory is null ? [] : System.IO.Directory.GetFiles(directory, "*.hocon").Select(path => Path.GetFileNameWithoutExtension(path)!);
        var known = files.Concat(BuiltInModes()).Where(name => name != "base").Distinct().Order();
        var where = directory is null ? "no config folder has" : $"{directory} has no";
        return new ConfigException($"unknown mode '{mode}': {where} {mode}.hocon, and no preset is built in (known modes: {string.Join(", ", known)}).");
    }

    [GeneratedRegex(@"position (\d+)")]
    private static partial Regex PositionPattern();
}
