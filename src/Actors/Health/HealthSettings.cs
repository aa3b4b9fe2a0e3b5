using Actors.Configuration;
using Akka.Configuration;

namespace Actors.Health;

/// <summary>What the library's health checks report, from <c>actors.health</c> (defaults in reference.conf).</summary>
public sealed record HealthSettings
{
    /// <summary>The HOCON section the settings are read from.</summary>
    public const string SectionPath = "actors.health";

    /// <summary>A pool with chunks in flight and no answer for this long is reported stuck (<c>stuck-after</c>).</summary>
    public required TimeSpan StuckAfter { get; init; }

    /// <summary>How long a check waits for a pool or buffer to answer (<c>timeout</c>).</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>Reads <c>actors.health</c> of <paramref name="config"/> (an actor system's configuration).</summary>
    /// <exception cref="ConfigException">A value is missing, of the wrong kind or not positive; the message names its key.</exception>
    public static HealthSettings Create(Config config)
    {
        var read = SettingsReader.For(config.GetConfig(SectionPath), SectionPath);
        var settings = new HealthSettings { StuckAfter = read.Duration("stuck-after"), Timeout = read.Duration("timeout") };
        SettingRules.Require(settings.StuckAfter > TimeSpan.Zero, $"{SectionPath}.stuck-after", settings.StuckAfter, "must be positive");
        SettingRules.Require(settings.Timeout > TimeSpan.Zero, $"{SectionPath}.timeout", settings.Timeout, "must be positive");
        return settings;
    }
}
