using System.Globalization;

namespace Actors.Configuration;

/// <summary>The one way settings types check their values: a broken rule names the full key and the value.</summary>
internal static class SettingRules
{
    /// <exception cref="ConfigException"><paramref name="holds"/> is false.</exception>
    public static void Require(bool holds, string key, object? value, string rule)
    {
        if (!holds) throw new ConfigException(string.Create(CultureInfo.InvariantCulture, $"{key} = {value}: {rule}"));
    }
}
