using System.Globalization;

namespace Actors.Configuration;

/// <summary>The one way settings types check their values: a broken rule names the full key and the value.</summary>
internal static class SettingRules
{
    /// <exception cref="ConfigException"><paramref name="holds"/> is false.</exception>
    public static void Require(bool holds, string key, object? value, string rule)
    {
        if (!holds) throw new ConfigException(string.Create(CultureInfo.InvariantCulture, $"{key} = {Text(value)}: {rule}"));
    }

    /// <summary>A value as it would be written in HOCON (a duration as <c>250ms</c> or <c>10s</c>).</summary>
    private static string Text(object? value) => value switch
    {
        null => "none",
        TimeSpan span when span.Ticks % TimeSpan.TicksPerSecond == 0 => string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalSeconds}s"),
        TimeSpan span => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds}ms"),
        bool flag => flag ? "on" : "off",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
