using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Actors.Telemetry;

/// <summary>
/// The library's own reading of its pool counters, for the live views (a node's status, the CLI):
/// a <see cref="MeterListener"/> on the same instruments an exporter reads, summed per pool, sampled
/// once a second, and turned into rates over the last <see cref="Window"/>. Listening starts the
/// first time a reading is asked for, in that process only.
/// </summary>
internal sealed class PoolRates : IDisposable
{
    /// <summary>The span the rates are averaged over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(1);
    private static readonly Lazy<PoolRates> Process = new(() => new PoolRates());

    private readonly ConcurrentDictionary<string, Totals> _pools = new();
    private readonly MeterListener _listener = new();
    private readonly Timer _sampler;

    private PoolRates()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ActorsTelemetry.Name && Kind(instrument.Name) is not null) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>(Measured);
        _listener.Start();
        _sampler = new Timer(_ => Sample(), null, SampleEvery, SampleEvery);
    }

    /// <summary>This process's reading (started on first use).</summary>
    public static PoolRates Shared => Process.Value;

    /// <summary>Pool <paramref name="pool"/>'s totals since listening started, and its rates over the last <see cref="Window"/> (zero until a second has been sampled).</summary>
    public PoolRateReading Read(string pool)
    {
        if (!_pools.TryGetValue(pool, out var totals)) return new PoolRateReading(0, 0, 0, 0, 0);
        return totals.Read(Stopwatch.GetTimestamp());
    }

    public void Dispose()
    {
        _sampler.Dispose();
        _listener.Dispose();
    }

    /// <summary>Takes a sample of every pool now (the timer's tick; specs call it to avoid waiting).</summary>
    internal void Sample()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var totals in _pools.Values) totals.Sample(now);
    }

    private void Measured(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? pool = null;
        foreach (var tag in tags)
        {
            if (tag.Key == TagNames.Pool) pool = tag.Value as string;
        }
        if (pool is null || Kind(instrument.Name) is not { } kind) return;
        _pools.GetOrAdd(pool, _ => new Totals()).Add(kind, value);
    }

    /// <summary>Which total a counter adds to: 0 completed, 1 failed, 2 retried.</summary>
    private static int? Kind(string instrument) => instrument switch
    {
        PoolInstruments.InputsCompletedName => 0,
        PoolInstruments.InputsFailedName => 1,
        PoolInstruments.InputsRetriedName => 2,
        _ => null,
    };

    /// <summary>One pool's totals and its samples of the last window.</summary>
    private sealed class Totals
    {
        private readonly long[] _counts = new long[3];
        private readonly Queue<(long At, long Completed, long Failed)> _samples = new();

        /// <summary>Starts from nothing, now: the first measurement's rate counts from here.</summary>
        public Totals() => _samples.Enqueue((Stopwatch.GetTimestamp(), 0, 0));

        public void Add(int kind, long value) => Interlocked.Add(ref _counts[kind], value);

        public void Sample(long now)
        {
            lock (_samples)
            {
                _samples.Enqueue((now, Interlocked.Read(ref _counts[0]), Interlocked.Read(ref _counts[1])));
                // Keep one sample at or before the window's start, so the rate covers all of it.
                while (_samples.Count > 2 && Stopwatch.GetElapsedTime(_samples.ElementAt(1).At, now) >= Window) _samples.Dequeue();
            }
        }

        public PoolRateReading Read(long now)
        {
            var (completed, failed, retried) = (Interlocked.Read(ref _counts[0]), Interlocked.Read(ref _counts[1]), Interlocked.Read(ref _counts[2]));
            lock (_samples)
            {
                var oldest = _samples.Peek();
                var seconds = Stopwatch.GetElapsedTime(oldest.At, now).TotalSeconds;
                return seconds <= 0
                    ? new PoolRateReading(completed, failed, retried, 0, 0)
                    : new PoolRateReading(completed, failed, retried, (completed - oldest.Completed) / seconds, (failed - oldest.Failed) / seconds);
            }
        }
    }
}

/// <summary>One pool's counters as <see cref="PoolRates"/> read them.</summary>
/// <param name="Completed">Inputs completed since this process began listening.</param>
/// <param name="Failed">Inputs failed since then.</param>
/// <param name="Retried">Inputs sent again since then.</param>
/// <param name="CompletedPerSecond">Inputs completed per second over the last 10 s.</param>
/// <param name="FailedPerSecond">Inputs failed per second over the last 10 s.</param>
internal readonly record struct PoolRateReading(long Completed, long Failed, long Retried, double CompletedPerSecond, double FailedPerSecond);
