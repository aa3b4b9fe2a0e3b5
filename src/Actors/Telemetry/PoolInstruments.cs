using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Actors.Telemetry;

/// <summary>
/// The pools' instruments, created once on the library's meter and shared by every pool (a pool is
/// told apart by its tags). The gauges are observed: each reads the pools alive in this process.
/// </summary>
internal static class PoolInstruments
{
    // The names, for what listens in this process too (PoolRates, PoolMeterSnapshot).
    public const string InputsCompletedName = "actors.pool.inputs.completed";
    public const string InputsFailedName = "actors.pool.inputs.failed";
    public const string InputsRetriedName = "actors.pool.inputs.retried";
    public const string InFlightName = "actors.pool.chunks.in_flight";
    public const string QueuedName = "actors.pool.chunks.queued";
    public const string WorkersName = "actors.pool.workers";
    public const string HostsName = "actors.pool.hosts";

    /// <summary>Pools alive in this process, for the observed gauges.</summary>
    private static readonly ConcurrentDictionary<PoolTelemetry, byte> Live = new();

    public static readonly Counter<long> InputsCompleted = ActorsTelemetry.Meter.CreateCounter<long>(
        InputsCompletedName, "{input}", "Inputs whose outputs were handed to their caller.");

    public static readonly Counter<long> InputsFailed = ActorsTelemetry.Meter.CreateCounter<long>(
        InputsFailedName, "{input}", "Inputs reported failed to their caller, on their last try.");

    public static readonly Counter<long> InputsRetried = ActorsTelemetry.Meter.CreateCounter<long>(
        InputsRetriedName, "{input}", "Inputs sent to a worker again, by reason (actors.retry.reason).");

    public static readonly Counter<long> HostsStarted = ActorsTelemetry.Meter.CreateCounter<long>(
        "actors.pool.hosts.started", "{host}", "Worker processes, nodes or cluster members that began serving the pool.");

    public static readonly Counter<long> HostsLost = ActorsTelemetry.Meter.CreateCounter<long>(
        "actors.pool.hosts.lost", "{host}", "Worker processes, nodes or cluster members that stopped serving the pool while it ran.");

    public static readonly Histogram<double> MapDuration = ActorsTelemetry.Meter.CreateHistogram(
        "actors.pool.map.duration", "s", "How long a map call took, from its call to its last outcome (or its error).",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    public static readonly Histogram<double> InputDuration = ActorsTelemetry.Meter.CreateHistogram(
        "actors.pool.input.duration", "s", "How long one input took to run on its worker, by the worker's clock: a chunk's run time over its inputs, recorded once per chunk.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1e-7, 1e-6, 1e-5, 1e-4, 0.001, 0.01, 0.1, 1, 10, 60] });

    static PoolInstruments()
    {
        ActorsTelemetry.Meter.CreateObservableUpDownCounter(InFlightName, () => Observe(pool => pool.InFlight),
            "{chunk}", "Chunks sent to workers and not yet answered.");
        ActorsTelemetry.Meter.CreateObservableUpDownCounter(QueuedName, () => Observe(pool => pool.Queued),
            "{chunk}", "Chunks waiting for a worker (the pool's queue length).");
        ActorsTelemetry.Meter.CreateObservableUpDownCounter(WorkersName, ObserveWorkers,
            "{worker}", "The pool's workers, by state (actors.worker.state: ready, busy, stuck).");
        ActorsTelemetry.Meter.CreateObservableUpDownCounter(HostsName, () => Observe(pool => pool.Hosts),
            "{host}", "Worker processes, nodes or cluster members serving the pool now (0 in local mode).");
    }

    /// <summary>Counts the pool in the gauges until <see cref="Forget"/>.</summary>
    public static void Track(PoolTelemetry pool) => Live.TryAdd(pool, 0);

    public static void Forget(PoolTelemetry pool) => Live.TryRemove(pool, out _);

    private static IEnumerable<Measurement<int>> Observe(Func<PoolTelemetry, int> value)
    {
        foreach (var pool in Live.Keys) yield return new Measurement<int>(value(pool), pool.PoolTags);
    }

    private static IEnumerable<Measurement<int>> ObserveWorkers()
    {
        foreach (var pool in Live.Keys)
        {
            var (ready, busy, stuck) = pool.Workers;
            yield return new Measurement<int>(ready, pool.WorkerTags("ready"));
            yield return new Measurement<int>(busy, pool.WorkerTags("busy"));
            yield return new Measurement<int>(stuck, pool.WorkerTags("stuck"));
        }
    }
}
