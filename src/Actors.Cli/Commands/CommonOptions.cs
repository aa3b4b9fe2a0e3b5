using System.CommandLine;
using Actors.Configuration;
using Akka.Configuration;

namespace Actors.Cli.Commands;

/// <summary>The options that choose configuration: <c>--config FILE</c> and <c>--mode MODE</c>.</summary>
internal sealed class CommonOptions
{
    public Option<FileInfo?> Config { get; } = new("--config")
    {
        Description = "A HOCON file whose settings win over config/*.hocon.",
    };

    public Option<string> Mode { get; }

    public Option<string[]> Overrides { get; } = new("--override")
    {
        Description = "A HOCON setting that wins over every file, e.g. 'actors.pool.chunks-per-worker = 4' (repeatable).",
        DefaultValueFactory = _ => [],
    };

    /// <param name="defaultMode">The mode file used when <c>--mode</c> is not given.</param>
    public CommonOptions(string defaultMode = "local")
    {
        Mode = new Option<string>("--mode")
        {
            Description = "Where pool workers run: local (threads), processes (worker OS processes) or cluster (worker members, with --seeds); picks config/MODE.hocon.",
            DefaultValueFactory = _ => defaultMode,
        };
    }

    public void AddTo(Command command)
    {
        command.Options.Add(ConfigOption(Config));
        command.Options.Add(Mode);
        command.Options.Add(Overrides);
    }

    /// <summary>A <c>--config FILE</c> option alone, for commands whose mode is fixed.</summary>
    public static Option<FileInfo?> NewConfig() => ConfigOption(new Option<FileInfo?>("--config")
    {
        Description = "A HOCON file whose settings win over config/*.hocon.",
    });

    private static Option<FileInfo?> ConfigOption(Option<FileInfo?> config)
    {
        config.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo?>() is { Exists: false } file)
                result.AddError($"configuration file {file.FullName} does not exist.");
        });
        return config;
    }

    /// <summary>Loads configuration for this invocation; throws <see cref="ConfigException"/> (exit 2) when it is bad.</summary>
    public Config Load(ParseResult parse, params string[] overrides) => ActorsConfig.Load(new ConfigOptions
    {
        Mode = parse.GetValue(Mode) ?? "local",
        File = parse.GetValue(Config)?.FullName,
        Overrides = [.. parse.GetValue(Overrides) ?? [], .. overrides],
    });
}
