using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Actors.Telemetry;

/// <summary>
/// Where the library reports what it does: one <see cref="Meter"/> and one <see cref="ActivitySource"/>,
/// both named <see cref="Name"/>. The library depends on <c>System.Diagnostics</c> only; a host that
/// wants the figures adds them to its exporter (<c>AddMeter(ActorsTelemetry.Name)</c>,
/// <c>AddSource(ActorsTelemetry.Name)</c> with OpenTelemetry). With no listener attached, nothing is
/// tagged or allocated: every recording checks first whether anyone listens (a buffer's counts are
/// fields it adds to anyway, read only when a listener collects them).
/// </summary>
public static class ActorsTelemetry
{
    /// <summary>The name of the library's meter and of its activity source.</summary>
    public const string Name = "Actors";

    /// <summary>The library's version, as both carry it.</summary>
    public static string Version { get; } = typeof(ActorsTelemetry).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Every instrument of the library.</summary>
    internal static Meter Meter { get; } = new(Name, Version);

    /// <summary>Every span of the library.</summary>
    internal static ActivitySource Source { get; } = new(Name, Version);
}
