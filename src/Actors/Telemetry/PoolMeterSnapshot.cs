using System.Diagnostics.Metrics;

namespace Actors.Telemetry;

/// <summary>
/// Every pool alive in this process as the library's meter shows it now, for a node's status and the
/// CLI's views: the observed gauges (chunks in flight and queued, workers, hosts) recorded on demand
/// by a <see cref="MeterListener"/> of its own, beside <see cref="PoolRates"/>' counters and rates.
/// The views read exactly what an exporter reads; there is no second set of counters.
/// </summary>
internal sealed class PoolMeterSnapshot : IDisposable
{
    private static readonly Lazy<PoolMeterSnapshot> Process = new(() => new PoolMeterSnapshot());

    private readonly MeterListener _listener = new();
    /// <summary>Serializes readings: the listener records into <see cref="_reading"/>, one reading at a time.</summary>
    private readonly Lock _gate = new();
    /// <summary>The gauges of the reading under way, per pool name; written only under <see cref="_gate"/>.</summary>
    private Dictionary<string, Gauges> _reading = new();

    private PoolMeterSnapshot()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ActorsTelemetry.Name && Gauge(instrument.Name) is not null) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<int>(Measured);
        _listener.Start();
        _ = PoolRates.Shared; // the counters are listened to from now on, so totals count from the node's start
    }

    /// <summary>This process's reader (listening from its first use).</summary>
    public static PoolMeterSnapshot Shared => Process.Value;

    /// <summary>Every pool whose gauges are observed now (pools alive in this process), by name, with its counters.</summary>
    public IReadOnlyList<PoolMeterReading> Read()
    {
        Dictionary<string, Gauges> gauges;
        lock (_gate)
        {
            _reading = new Dictionary<string, Gauges>();
            _listener.RecordObservableInstruments();
            gauges = _reading;
        }
        return gauges.OrderBy(pool => pool.Key, StringComparer.Ordinal).Select(pool =>
        {
            var counters = PoolRates.Shared.Read(pool.Key);
            var g = pool.Value;
            return new PoolMeterReading(pool.Key, g.Mode, g.Workers, g.InFlight, g.Queued, g.Hosts,
                counters.Completed, counters.Failed, counters.Retried, counters.CompletedPerSecond, counters.FailedPerSecond);
        }).ToArray();
    }

    public void Dispose() => _listener.Dispose();

    private void Measured(Instrument instrument, int value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? pool = null, mode = null;
        foreach (var tag in tags)
        {
            if (tag.Key == TagNames.Pool) pool = tag.Value as string;
            else if (tag.Key == TagNames.Mode) mode = tag.Value as string;
        }
        if (pool is null || Gauge(instrument.Name) is not { } gauge) return;
        // Called back on the reading thread, inside RecordObservableInstruments, under the gate.
        var gauges = _reading.TryGetValue(pool, out var known) ? known : new Gauges { Mode = mode ?? "" };
        switch (gauge)
        {
            case GaugeKind.InFlight: gauges.InFlight += value; break;
            case GaugeKind.Queued: gauges.Queued += value; break;
            case GaugeKind.Workers: gauges.Workers += value; break;
            case GaugeKind.Hosts: gauges.Hosts += value; break;
        }
        _reading[pool] = gauges;
    }

    private enum GaugeKind
    {
        InFlight,
        Queued,
        Workers,
        Hosts,
    }

    private static GaugeKind? Gauge(string instrument) => instrument switch
    {
        PoolInstruments.InFlightName => GaugeKind.InFlight,
        PoolInstruments.QueuedName => GaugeKind.Queued,
        PoolInstruments.WorkersName => GaugeKind.Workers, // summed over its states: every worker the pool has
        PoolInstruments.HostsName => GaugeKind.Hosts,
        _ => null,
    };

    /// <summary>One pool's gauges in one reading (two pools of one name add up).</summary>
    private struct Gauges
    {
        public string Mode;
        public int InFlight, Queued, Workers, Hosts;
    }
}

/// <summary>One pool as the library's meter shows it.</summary>
/// <param name="Pool">The pool's name (<c>actors.pool.name</c>).</param>
/// <param name="Mode">Where its workers live (<c>actors.pool.mode</c>).</param>
/// <param name="Workers">Its workers, ready, busy or stuck (<c>actors.pool.workers</c>).</param>
/// <param name="InFlight">Chunks sent and not yet answered (<c>actors.pool.chunks.in_flight</c>).</param>
/// <param name="Queued">Chunks waiting for a worker (<c>actors.pool.chunks.queued</c>).</param>
/// <param name="Hosts">Processes, nodes or members serving it (<c>actors.pool.hosts</c>).</param>
/// <param name="Completed">Inputs completed since this process began listening (<c>actors.pool.inputs.completed</c>).</param>
/// <param name="Failed">Inputs failed since then (<c>actors.pool.inputs.failed</c>).</param>
/// <param name="Retried">Inputs sent again since then (<c>actors.pool.inputs.retried</c>).</param>
/// <param name="CompletedPerSecond">Inputs completed per second over the last 10 s.</param>
/// <param name="FailedPerSecond">Inputs failed per second over the last 10 s.</param>
internal sealed record PoolMeterReading(
    string Pool, string Mode, int Workers, int InFlight, int Queued, int Hosts, long Completed, long Failed, long Retried, double CompletedPerSecond, double FailedPerSecond);
