using System.Globalization;
using System.Text;
using System.Text.Json;
using Akka.Configuration;

namespace Actors.Hosting;

/// <summary>
/// Writes option values as HOCON under their keys, skipping the ones left unset, so that options
/// bound from <c>appsettings.json</c> are read by the same settings readers, with the same rules and
/// key names, as HOCON.
/// </summary>
internal sealed class HoconText
{
    private readonly StringBuilder _text = new();

    public HoconText Set(string key, int? value) =>
        value is { } number ? Line(key, number.ToString(CultureInfo.InvariantCulture)) : this;

    public HoconText Set(string key, bool? value) => value is { } flag ? Line(key, flag ? "on" : "off") : this;

    public HoconText Set(string key, string? value) => value is null ? this : Line(key, Quoted(value));

    /// <summary>A duration in milliseconds (<c>1500ms</c>), the unit every duration reader takes.</summary>
    public HoconText Set(string key, TimeSpan? value) =>
        value is { } span ? Line(key, span.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms") : this;

    public HoconText Set(string key, IEnumerable<string>? values) =>
        values is null ? this : Line(key, "[" + string.Join(", ", values.Select(Quoted)) + "]");

    public Config ToConfig() => _text.Length == 0 ? Config.Empty : ConfigurationFactory.ParseString(_text.ToString());

    public override string ToString() => _text.ToString();

    // A JSON string is a HOCON quoted string: any text survives.
    private static string Quoted(string text) => JsonSerializer.Serialize(text);

    private HoconText Line(string key, string value)
    {
        _text.Append(key).Append(" = ").Append(value).Append('\n');
        return this;
    }
}
