using System.Reflection;
using System.Text.RegularExpressions;
using Akka.Configuration;

namespace Actors.Configuration;

/// <summary>
/// The one loader of this project's HOCON: defaults, the files under <c>config/</c>, a user's file
/// and explicit overrides, composed in that order. Malformed text is reported as
/// <c>file:line: reason</c> through <see cref="ConfigException"/>.
/// </summary>
public static partial class ActorsConfig
{
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
        if (directory is not null)
        {
            var basePath = Path.Combine(directory, "base.hocon");
            if (System.IO.File.Exists(basePath)) layers.Add(ParseFile(basePath));
            var modePath = Path.Combine(directory, options.Mode + ".hocon");
            if (System.IO.File.Exists(modePath)) layers.Add(ParseFile(modePath));
            else if (options.Mode != "local") throw UnknownMode(options.Mode, directory);
        }
        else if (options.Mode != "local")
        {
            throw new ConfigException($"mode '{options.Mode}' needs a config folder with {options.Mode}.hocon, and none was found.");
        }
        if (options.File is not null) layers.Add(ParseFile(options.File));
        layers.AddRange(options.Overrides.Select((text, i) => Parse(text, $"override #{i + 1}")));

        var config = Defaults;
        foreach (var layer in layers) config = layer.WithFallback(config);
        return ConfigSources.Record(options).WithFallback(config);
    }

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

    private static ConfigException UnknownMode(string mode, string directory)
    {
        var known = System.IO.Directory.GetFiles(directory, "*.hocon")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => name != "base")
            .Order();
        return new ConfigException($"unknown mode '{mode}': {directory} has no {mode}.hocon (known modes: {string.Join(", ", known)}).");
    }

    [GeneratedRegex(@"position (\d+)")]
    private static partial Regex PositionPattern();
}
