using System.Diagnostics;
using System.Runtime.CompilerServices;
using Actors.Jobs;
using Actors.Pool.Membership;
using Actors.Pool.Tasks;
using Actors.Protocol;
using Actors.Serialization;
using Akka.Actor;
using Akka.Routing;

namespace Actors.Pool;

/// <summary>
/// A pool of worker actors: the actor answer to Python's <c>multiprocessing.Pool</c>. Where the
/// workers run (threads of this process, worker OS processes, worker nodes, cluster members) and which router
/// creates them are configuration; the calls are the same in every mode.
/// </summary>
/// <example><code>
/// await using var pool = WorkerPool.Create(system, "squares");
/// long[] squares = await pool.MapAsync(new SquareJob(), Enumerable.Range(0, 10).Select(i => (long)i));
/// </code></example>
public sealed class WorkerPool : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly PoolSettings _settings;
    private readonly int _routeesHint;
    private long _lastJobId;
    // The routee count the manager last reported (a resizer or a lost process changes it), and when it was asked.
    private int _routeesReported;
    private long _routeesAskedAt;

    private WorkerPool(ActorSystem system, string name, IActorRef manager, PoolSettings settings, int routeesHint)
    {
        _system = system;
        Name = name;
        Manager = manager;
        _settings = settings;
        _routeesHint = routeesHint;
    }

    /// <summary>The pool's name: its manager's actor name and the key of its router in <c>akka.actor.deployment</c>.</summary>
    public string Name { get; }

    /// <summary>The pool manager actor (accepts <see cref="GetPoolStatus"/>).</summary>
    public IActorRef Manager { get; }

    /// <summary>
    /// Creates a pool named <paramref name="name"/>. Its router comes from
    /// <c>akka.actor.deployment./NAME</c> unless <paramref name="router"/> is given; its settings
    /// from <c>actors.pool</c> unless <paramref name="settings"/> is given.
    /// </summary>
    /// <exception cref="ArgumentException">No pool router is configured for the name (or, in cluster mode, it has a resizer).</exception>
    /// <exception cref="Configuration.ConfigException">A setting is invalid (the message names its key).</exception>
    /// <exception cref="InvalidOperationException">Cluster mode in an actor system that is not a cluster member (<see cref="Cluster.ClusterNode.CreateSystem"/>).</exception>
    public static WorkerPool Create(ActorSystem system, string name, Akka.Routing.Pool? router = null, PoolSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        settings ??= PoolSettings.Create(system.Settings.Config.GetConfig(PoolSettings.SectionPath));
        settings.Validate();
        var pool = router ?? ConfiguredRouter(system, name);
        var worker = Worker.Spec();
        IReadOnlyList<Props> memberships;
        int routees;
        if (settings.Mode == PoolMode.Processes)
        {
            memberships = Processes.WorkerHosts.Memberships(settings.Processes, worker);
            routees = Processes.WorkerHosts.ExpectedWorkers(settings.Processes);
        }
        else if (settings.Mode == PoolMode.Cluster)
        {
            var members = Cluster.ClusterWorkers.For(system, pool, worker, settings.TickInterval, settings.AskTimeout);
            memberships = [members.Props];
            routees = members.ExpectedWorkers;
        }
        else
        {
            memberships = [LocalWorkers.Props(pool, worker, settings.TickInterval, settings.AskTimeout)];
            routees = pool.Resizer is DefaultResizer resizer ? resizer.LowerBound : pool.GetNrOfInstances(system);
        }
        var choice = pool is SmallestMailboxPool ? WorkerChoice.LeastLoaded : WorkerChoice.RoundRobin;
        var manager = system.ActorOf(PoolManager.Props(settings, choice, memberships), name);
        return new WorkerPool(system, name, manager, settings, Math.Max(1, routees));
    }

    private static Akka.Routing.Pool ConfiguredRouter(ActorSystem system, string name)
    {
        var deploy = ((ExtendedActorSystem)system).Provider.Deployer.Lookup([name]);
        return deploy?.RouterConfig switch
        {
            Akka.Routing.Pool pool => pool,
            null or NoRouter => throw new ArgumentException(
                $"no router is configured for pool '{name}': add akka.actor.deployment {{ /{name} {{ router = round-robin-pool, nr-of-instances = 4 }} }} or pass one in code."),
            var other => throw new ArgumentException(
                $"pool '{name}': akka.actor.deployment./{name} must configure a pool router (round-robin-pool, smallest-mailbox-pool, …), not {other.GetType().Name}."),
        };
    }

    /// <summary>Asks the manager what it is doing.</summary>
    public async Task<PoolStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var status = await Manager.Ask<PoolStatus>(GetPoolStatus.Instance, _settings.AskTimeout, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _routeesReported, status.Routees); // the next map is sized for the workers there are now
        return status;
    }

    /// <summary>Runs <paramref name="job"/> on every input; outputs in input order (Python's <c>map</c>).</summary>
    /// <exception cref="PoolTaskException">An input failed on its last try (names the input, its index and the error).</exception>
    public Task<TOut[]> MapAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default) =>
        CollectAsync<TIn, TOut, TOut>(job, inputs, options, collectFailures: false,
            static (message, outputs) =>
            {
                var results = (ResultsReady)message; // without collecting failures, a failed input has thrown already
                Array.Copy(results.Outputs, 0, outputs, results.FirstIndex, results.Outputs.Length);
            }, cancellationToken);

    /// <summary>Like <see cref="MapAsync{TIn,TOut}"/>, but a failed input becomes a failed outcome instead of failing the map.</summary>
    public Task<TaskOutcome<TOut>[]> MapOutcomesAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default) =>
        CollectAsync<TIn, TOut, TaskOutcome<TOut>>(job, inputs, options, collectFailures: true,
            static (message, outcomes) =>
            {
                foreach (var outcome in Outcomes<TOut>(message)) outcomes[outcome.Index] = outcome;
            }, cancellationToken);

    /// <summary>Streams outputs in input order as they become ready (Python's <c>imap</c>).</summary>
    /// <exception cref="PoolTaskException">An input failed on its last try; the outputs before it have been yielded.</exception>
    public async IAsyncEnumerable<TOut> MapOrderedAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IAsyncEnumerable<TIn> inputs, MapOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var run = Start(job, ChunkSource<TIn>.From(inputs, cancellationToken), null, options, collectFailures: false);
        await foreach (var message in run.RunAsync(ordered: true, cancellationToken).ConfigureAwait(false))
        {
            foreach (var output in (TOut[])((ResultsReady)message).Outputs) yield return output;
        }
    }

    /// <summary>Streams outcomes in the order they complete, each with its input's index (Python's <c>imap_unordered</c>); a failed input is a failed outcome.</summary>
    public IAsyncEnumerable<TaskOutcome<TOut>> MapUnorderedAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IAsyncEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default) =>
        UnorderedAsync<TIn, TOut>(Start(job, ChunkSource<TIn>.From(inputs, cancellationToken), null, options, collectFailures: true), cancellationToken);

    /// <summary>Streams outcomes in the order they complete (<see cref="MapUnorderedAsync{TIn,TOut}(IJobContract{TIn,TOut},IAsyncEnumerable{TIn},MapOptions?,CancellationToken)"/> over a plain sequence).</summary>
    public IAsyncEnumerable<TaskOutcome<TOut>> MapUnorderedAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default) =>
        UnorderedAsync<TIn, TOut>(Start(job, ChunkSource<TIn>.From(inputs), CountOf(inputs), options, collectFailures: true), cancellationToken);

    /// <summary>Runs <paramref name="job"/> on one input (Python's <c>apply_async</c>).</summary>
    /// <exception cref="PoolTaskException">The input failed on its last try.</exception>
    public async Task<TOut> SubmitAsync<TIn, TOut>(IJobContract<TIn, TOut> job, TIn input, MapOptions? options = null, CancellationToken cancellationToken = default)
    {
        var outputs = await MapAsync(job, [input], (options ?? new MapOptions()) with { ChunkSize = 1 }, cancellationToken).ConfigureAwait(false);
        return outputs[0];
    }

    private static long? CountOf<T>(IEnumerable<T> inputs) => inputs.TryGetNonEnumeratedCount(out var count) ? count : null;

    /// <summary>
    /// Runs a map of a plain sequence into an array: <paramref name="place"/> puts each batch of
    /// results at its inputs' indexes as it arrives, so no batch waits for the ones before it.
    /// The array is sized from the input count when known, else grows with the largest index seen.
    /// </summary>
    private async Task<T[]> CollectAsync<TIn, TOut, T>(
        IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions? options, bool collectFailures, Action<IJobOutcome, T[]> place, CancellationToken cancellationToken)
    {
        var total = CountOf(inputs);
        var results = new T[total ?? 0];
        var length = 0;
        var run = Start(job, ChunkSource<TIn>.From(inputs), total, options, collectFailures);
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
    private MapRun<TIn> Start<TIn, TOut>(IJobContract<TIn, TOut> job, ChunkSource<TIn> source, long? total, MapOptions? options, bool collectFailures)
    {
        options ??= new MapOptions();
        var jobType = job.GetType();
        JobRunner.ShapeOf(jobType); // a clear error here, not in a worker, for a type that cannot be a job
        var wireTypes = WireTypes.For(_system);
        wireTypes.Register(typeof(TIn));
        wireTypes.Register(typeof(TOut));

        var chunkSize = ChunkSizing.ChunkSize(options.ChunkSize, _settings.ChunkSize, _settings.MaxAutoChunkSize, total, Routees());
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(options), chunkSize, "ChunkSize must be at least 1.");
        var maxAttempts = options.MaxAttempts ?? _settings.MaxAttempts;
        if (maxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(options), maxAttempts, "MaxAttempts must be at least 1.");
        var policy = new JobPolicy(JobRunner.NameOf(jobType), maxAttempts, options.TaskTimeout ?? _settings.TaskTimeout, RetryJobExceptions: true);

        var jobId = Interlocked.Increment(ref _lastJobId);
        // Not guessable: a job's results go to this actor, so no other process could aim at it.
        var sinkName = $"{Name}-job-{jobId}-{Guid.NewGuid():N}";
        return new MapRun<TIn>(_system, Manager, sinkName, jobId, policy, source, total, chunkSize,
            () => ChunkSizing.Window(chunkSize, _settings.WindowPerWorker, Routees()), collectFailures, options.Progress);
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
            await GetStatusAsync().ConfigureAwait(false);
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
        var outputs = (TOut[])results.Outputs;
        for (var i = 0; i < outputs.Length; i++) yield return new TaskOutcome<TOut>(results.FirstIndex + i, outputs[i], null);
    }

    /// <summary>Stops the manager, its workers and, in processes mode, the worker processes it started (each in order first).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Manager.Ask<WorkersStopped>(StopWorkers.Instance, _settings.StopTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            // Hosts that did not stop in order are killed as the manager stops.
        }
        try
        {
            await Manager.GracefulStop(_settings.StopTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TaskCanceledException or AskTimeoutException)
        {
            // The system is shutting down already; the manager goes with it.
        }
    }
}
