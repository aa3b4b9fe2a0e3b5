using System.Globalization;
using Actors.Configuration;
using Akka.Configuration;

namespace Actors.Buffer;

/// <summary>
/// Settings of a <see cref="BufferActor"/>, read from the <c>actors.buffer</c> HOCON section
/// (defaults in the embedded <c>reference.conf</c>).
/// </summary>
public sealed record BufferSettings
{
    /// <summary>The HOCON path of the section <see cref="Create(Config)"/> reads.</summary>
    public const string SectionPath = "actors.buffer";

    private static readonly Lazy<BufferSettings> LazyDefault = new(() => Create(ReferenceSection()));

    private readonly int _capacity;
    private readonly int _maxBatch;

    /// <summary>Creates settings; both values must be at least 1.</summary>
    /// <param name="capacity">Most items the buffer holds at once.</param>
    /// <param name="maxBatch">Most items handed out by one <see cref="Taken"/> reply.</param>
    public BufferSettings(int capacity, int maxBatch = 512)
    {
        Capacity = capacity;
        MaxBatch = maxBatch;
    }

    /// <summary>The settings of the embedded <c>reference.conf</c>.</summary>
    public static BufferSettings Default => LazyDefault.Value;

    /// <summary>Most items the buffer holds at once (<c>actors.buffer.capacity</c>); producers beyond it wait.</summary>
    public int Capacity
    {
        get => _capacity;
        init => _capacity = RequirePositive(value, "capacity");
    }

    /// <summary>
    /// Most items one <see cref="Taken"/> reply carries (<c>actors.buffer.max-batch</c>), whatever the
    /// <see cref="Take"/> asked for; keeps every message small enough for a remote frame.
    /// </summary>
    public int MaxBatch
    {
        get => _maxBatch;
        init => _maxBatch = RequirePositive(value, "max-batch");
    }

    /// <summary>
    /// Reads the <c>actors.buffer</c> section; keys it lacks come from the embedded
    /// <c>reference.conf</c>.
    /// </summary>
    /// <param name="section">The <c>actors.buffer</c> section itself (e.g. <c>config.GetConfig("actors.buffer")</c>); may be empty.</param>
    /// <exception cref="ArgumentException">A value is missing its number form or is below 1; the message names the key.</exception>
    public static BufferSettings Create(Config? section)
    {
        var effective = section is null || section.IsEmpty
            ? ReferenceSection()
            : section.WithFallback(ReferenceSection());
        return new BufferSettings(ReadInt(effective, "capacity"), ReadInt(effective, "max-batch"));
    }

    private static Config ReferenceSection() =>
        ActorsConfig.Defaults.GetConfig(SectionPath)
        ?? throw new InvalidOperationException($"The embedded reference.conf has no '{SectionPath}' section.");

    private static int ReadInt(Config section, string key)
    {
        try
        {
            return section.GetInt(key);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ConfigurationException)
        {
            throw new ArgumentException(
                $"{SectionPath}.{key} = {section.GetString(key)}: must be a whole number.", key, e);
        }
    }

    private static int RequirePositive(int value, string key) => value >= 1
        ? value
        : throw new ArgumentOutOfRangeException(
            key,
            value,
            string.Create(CultureInfo.InvariantCulture, $"{SectionPath}.{key} = {value}: must be at least 1."));
}
