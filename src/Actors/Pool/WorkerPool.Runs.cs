using System.Diagnostics;
using System.Runtime.CompilerServices;
using Actors.Jobs;
using Actors.Pool.Tasks;
using Actors.Serialization;
using Akka.Actor;

namespace Actors.Pool;

// How a call becomes a run: its job checked and prepared, its chunks sized, its outcomes collected.
public sealed partial class WorkerPool
{
    private static long? CountOf<T>(IEnumerable<T> inputs) => inputs.TryGetNonEnumeratedCount(out var count) ? count : null;

    /// <summary>
    /// Runs a map of a plain sequence into an array: <paramref name="place"/> puts each batch of
    /// results at its inputs' indexes as it arrives, so no batch waits for the ones before it.
    /// The array is sized from the input count when known, else grows with the largest index seen.
    /// With <paramref name="inPlace"/>, workers of this process write straight into it (it is then
    /// the map's one allocation of results; <paramref name="place"/> gets nothing to copy).
    /// </summary>
    private async Task<T[]> CollectAsync<TIn, TOut, T>(
        IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions? options, bool collectFailures, bool inPlace,
        Action<IJobOutcome, T[]> place, CancellationToken cancellationToken)
    {
        var total = CountOf(inputs);
        var results = new T[total ?? 0];
        var length = 0;
        var run = Start(job, ChunkSource<TIn>.From(inputs), total, options, collectFailures, inPlace && total is not null ? results : null);
        await foreach (var message in run.RunAsync(ordered: false, cancellationToken).ConfigureAwait(false))
        {
            var end = checked((int)(message.FirstIndex + message.Count));
            if (end > results.Length) Array.Resize(ref results, Math.Max(end, 2 * results.Length));
            place(message, results);
            length = Math.Max(length, end);
        }
        return length == results.Length ? results : results[..length];
    }

    private static async IAsyncEnumerable<TaskOutcome<TOut>> UnorderedAsync<TIn, TOut>(MapRun<TIn> run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in run.RunAsync(ordered: false, cancellationToken).ConfigureAwait(false))
        {
            foreach (var outcome in Outcomes<TOut>(message)) yield return outcome;
        }
    }

    /// <summary>Checks a map's job and options, registers its types for the wire, and prepares its run.</summary>
    /// <param name="destination">The caller's result array, if it may take the outputs in place.</param>
    private MapRun<TIn> Start<TIn, TOut>(IJobContract<TIn, TOut> job, ChunkSource<TIn> source, long? total, MapOptions? options, bool collectFailures, Array? destination = null)
    {
        options ??= new MapOptions();
        var policy = Prepare(job, options);
        // In place only where no run is ever abandoned while it still writes: a run past its
        // deadline is retried elsewhere, and its late writes could land after the map returned.
        if (!_inProcess || policy.TaskTimeout is not null) destination = null;
        // A chunk that is a region of the caller's array costs nothing to hold: only copied chunks
        // need the automatic size capped, and fewer, larger regions mean fewer messages per map.
        var maxAuto = destination is not null && source.SlicesWithoutCopies ? int.MaxValue : _settings.MaxAutoChunkSize;
        var chunkSize = ChunkSizing.ChunkSize(options.ChunkSize, _settings.ChunkSize, maxAuto, total, Routees());
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(options), chunkSize, "ChunkSize must be at least 1.");
        var jobId = NewJobId(out var sinkName);
        return new MapRun<TIn>(_lifetime, _system, Manager, sinkName, jobId, policy, destination, source, total, chunkSize,
            () => ChunkSizing.Window(chunkSize, _settings.WindowPerWorker, Routees(), _settings.WindowInputsPerWorker), collectFailures, options.Progress, _tags);
    }

    /// <summary>A new job's id, and the name of the actor its outcomes go to.</summary>
    private long NewJobId(out string sinkName)
    {
        var jobId = Interlocked.Increment(ref _lastJobId);
        // Not guessable: a job's results go to this actor, so no other process could aim at it.
        sinkName = $"{Name}-job-{jobId}-{Guid.NewGuid():N}";
        return jobId;
    }

    /// <summary>Checks a job and its options, registers its types for the wire, and returns its policy.</summary>
    private JobPolicy Prepare<TIn, TOut>(IJobContract<TIn, TOut> job, MapOptions options)
    {
        var jobType = job.GetType();
        JobRunner.ShapeOf(jobType); // a clear error here, not in a worker, for a type that cannot be a job
        if (!_inProcess)
        {
            // Refused here, before any value is sent, rather than arriving changed (a tuple as its defaults).
            foreach (var type in new[] { typeof(TIn), typeof(TOut) })
            {
                if (WireShape.Problem(type) is { } problem)
                    throw new ArgumentException($"{type} cannot cross the wire to the pool's worker processes: {problem}.", nameof(job));
            }
        }
        var wireTypes = WireTypes.For(_system);
        wireTypes.Register(typeof(TIn));
        wireTypes.Register(typeof(TOut));

        var maxAttempts = options.MaxAttempts ?? _settings.MaxAttempts;
        if (maxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(options), maxAttempts, "MaxAttempts must be at least 1.");
        if (options.TaskTimeout is { } taskTimeout && taskTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), taskTimeout, "TaskTimeout must be positive (leave it null for none).");
        return new JobPolicy(JobRunner.NameOf(jobType), maxAttempts, options.TaskTimeout ?? _settings.TaskTimeout,
            options.RetryJobExceptions ?? _settings.RetryJobExceptions);
    }

    /// <summary>
    /// The workers to size a map for: as many as the manager last reported, and never fewer than the
    /// pool was created with (worker processes may still be starting). The manager is asked again once
    /// a tick has passed; the answer is used when it comes, never waited for.
    /// </summary>
    private int Routees()
    {
        var askedAt = Interlocked.Read(ref _routeesAskedAt);
        var now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(askedAt, now) >= _settings.TickInterval
            && Interlocked.CompareExchange(ref _routeesAskedAt, now, askedAt) == askedAt)
            _ = AskRouteesAsync();
        return Math.Max(_routeesHint, Volatile.Read(ref _routeesReported));
    }

    private async Task AskRouteesAsync()
    {
        try
        {
            Volatile.Write(ref _routeesReported, (await GetStatusAsync().ConfigureAwait(false)).Routees);
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            // The pool is stopping, or its manager did not answer in time: the last count stands.
        }
    }

    private static IEnumerable<TaskOutcome<TOut>> Outcomes<TOut>(IJobOutcome message)
    {
        if (message is InputFailed failure)
        {
            yield return new TaskOutcome<TOut>(failure.Index, default, failure.ToFailure());
            yield break;
        }
        var results = (ResultsReady)message;
        var outputs = (TOut[])results.Outputs!; // streams and outcomes have no destination: outputs always come
        for (var i = 0; i < outputs.Length; i++) yield return new TaskOutcome<TOut>(results.FirstIndex + i, outputs[i], null);
    }
}
