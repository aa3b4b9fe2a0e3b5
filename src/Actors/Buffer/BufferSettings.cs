using System.Globalization;
using Actors.Configuration;
using Akka.Configuration;

namespace Actors.Buffer;

/// <summary>
/// Settings of a buffer, read from the <c>actors.buffer</c> HOCON section (defaults in the embedded
/// <c>reference.conf</c>). Change one with <c>BufferSettings.Default with { Capacity = 10 }</c>.
/// </summary>
public sealed record BufferSettings
{
    /// <summary>The HOCON path of the section <see cref="Create(Config)"/> reads.</summary>
    public const string SectionPath = "actors.buffer";

    private static readonly Lazy<BufferSettings> LazyDefault = new(() => Create(ReferenceSection()));

    // Every value is set by Create from the HOCON section; there are no defaults in C#.
    private readonly int _capacity;
    private readonly int _maxBatch;
    private readonly TimeSpan _askTimeout;

    private BufferSettings()
    {
    }

    /// <summary>The settings of the embedded <c>reference.conf</c>.</summary>
    public static BufferSettings Default => LazyDefault.Value;

    /// <summary>
    /// Most items the buffer accounts for at once (<c>actors.buffer.capacity</c>): those in its list,
    /// slots reserved by producers, and items handed to consumers they have not yet taken.
    /// </summary>
    public int Capacity
    {
        get => _capacity;
        init => _capacity = RequireAtLeast(value, 1, "capacity");
    }

    /// <summary>
    /// Most items one <see cref="BufferProtocol.Taken{T}"/> reply carries (<c>actors.buffer.max-batch</c>), whatever
    /// was asked for; keeps every message small.
    /// </summary>
    public int MaxBatch
    {
        get => _maxBatch;
        init => _maxBatch = RequireAtLeast(value, 1, "max-batch");
    }

    /// <summary>How long <see cref="BoundedBuffer{T}.GetSnapshotAsync"/> waits for the buffer's answer (<c>actors.buffer.ask-timeout</c>).</summary>
    public TimeSpan AskTimeout
    {
        get => _askTimeout;
        init => _askTimeout = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException("ask-timeout", value, $"{SectionPath}.ask-timeout = {value}: must be positive.");
    }

    /// <summary>
    /// Reads the <c>actors.buffer</c> section; keys it lacks come from the embedded
    /// <c>reference.conf</c>.
    /// </summary>
    /// <param name="section">The <c>actors.buffer</c> section itself (e.g. <c>config.GetConfig("actors.buffer")</c>); may be empty.</param>
    /// <exception cref="ArgumentException">A value is malformed or out of range; the message names the key.</exception>
    public static BufferSettings Create(Config? section)
    {
        var effective = section is null || section.IsEmpty
            ? ReferenceSection()
            : section.WithFallback(ReferenceSection());
        return new BufferSettings
        {
            Capacity = Read(effective, "capacity", key => effective.GetInt(key)),
            MaxBatch = Read(effective, "max-batch", key => effective.GetInt(key)),
            AskTimeout = Read(effective, "ask-timeout", key => effective.GetTimeSpan(key, null, allowInfinite: false)),
        };
    }

    private static Config ReferenceSection() =>
        ActorsConfig.Defaults.GetConfig(SectionPath)
        ?? throw new InvalidOperationException($"The embedded reference.conf has no '{SectionPath}' section.");

    private static TValue Read<TValue>(Config section, string key, Func<string, TValue> read)
    {
        try
        {
            return read(key);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ConfigurationException or ArgumentException)
        {
            throw new ArgumentException(
                $"{SectionPath}.{key} = {section.GetString(key)}: {(typeof(TValue) == typeof(int) ? "must be a whole number" : "must be a duration such as 5s")}.", key, e);
        }
    }

    private static int RequireAtLeast(int value, int least, string key) => value >= least
        ? value
        : throw new ArgumentOutOfRangeException(
            key,
            value,
            string.Create(CultureInfo.InvariantCulture, $"{SectionPath}.{key} = {value}: must be at least {least}."));
}
