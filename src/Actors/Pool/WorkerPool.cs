using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Actors.Configuration;
using Actors.Jobs;
using Actors.Serialization;
using Akka.Actor;
using Akka.Routing;

namespace Actors.Pool;

/// <summary>
/// A pool of worker actors behind a router: the actor answer to Python's <c>multiprocessing.Pool</c>.
/// Where the workers run (threads of this process or worker OS processes) and which router spreads
/// the work are configuration; the calls are the same in every mode.
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
    private long _nextJobId;
    // The routee count the manager last reported (a resizer changes it), and when it was asked.
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
    /// <exception cref="ArgumentException">No router is configured for the name, or a setting is invalid.</exception>
    public static WorkerPool Create(ActorSystem system, string name, Akka.Routing.Pool? router = null, PoolSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var config = system.Settings.Config.WithFallback(ActorsConfig.Defaults);
        settings ??= PoolSettings.Create(config.GetConfig("actors.pool"));
        settings.Validate();
        var pool = (router ?? ConfiguredRouter(system, name)).WithFallback(FromConfig.Instance.WithSupervisorStrategy(Worker.Strategy()));
        if (pool is not Akka.Routing.Pool configured)
            throw new ArgumentException($"pool '{name}': the router must be a pool router (round-robin-pool, smallest-mailbox-pool, …), not {pool.GetType().Name}.");

        Func<IActorRef, Props>? processes = settings.Mode == PoolMode.Processes
            ? manager => Processes.WorkerProcesses.Props(settings.Processes, manager)
            : null;
        var manager = system.ActorOf(PoolManager.Props(settings, configured, processes), name);
        var routees = settings.Mode == PoolMode.Processes
            ? settings.Processes.EffectiveCount * settings.Processes.WorkersPerProcess
            : configured.GetNrOfInstances(system);
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
    public Task<PoolStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        Manager.Ask<PoolStatus>(GetPoolStatus.Instance, TimeSpan.FromSeconds(10), cancellationToken);

    /// <summary>Runs <paramref name="job"/> on every input; outputs in input order (Python's <c>map</c>).</summary>
    /// <exception cref="PoolTaskException">An input failed on every try (names the input, its index and the error).</exception>
    public Task<TOut[]> MapAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default) =>
        CollectAsync<TIn, TOut, TOut>(job, inputs, (options ?? new MapOptions()) with { CollectFailures = false },
            static (message, outputs) =>
            {
                var results = (ResultsReady)message; // without CollectFailures, a failed input has thrown in RunAsync
                Array.Copy(results.Outputs, 0, outputs, results.FirstIndex, results.Outputs.Length);
            }, cancellationToken);

    /// <summary>Like <see cref="MapAsync{TIn,TOut}"/>, but a failed input becomes a failed outcome instead of failing the map.</summary>
    public Task<TaskOutcome<TOut>[]> MapOutcomesAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default) =>
        CollectAsync<TIn, TOut, TaskOutcome<TOut>>(job, inputs, (options ?? new MapOptions()) with { CollectFailures = true },
            static (message, outcomes) =>
            {
                foreach (var outcome in Outcomes<TOut>(message)) outcomes[outcome.Index] = outcome;
            }, cancellationToken);

    /// <summary>Streams outputs in input order as they become ready (Python's <c>imap</c>).</summary>
    public async IAsyncEnumerable<TOut> MapOrderedAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IAsyncEnumerable<TIn> inputs, MapOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var message in RunAsync(job, ChunkSource<TIn>.From(inputs, cancellationToken), null, ordered: true, (options ?? new MapOptions()) with { CollectFailures = false }, cancellationToken).ConfigureAwait(false))
        {
            foreach (var output in (TOut[])((ResultsReady)message).Outputs) yield return output;
        }
    }

    /// <summary>Streams outcomes in the order they complete, each with its input's index (Python's <c>imap_unordered</c>).</summary>
    public IAsyncEnumerable<TaskOutcome<TOut>> MapUnorderedAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IAsyncEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default) =>
        UnorderedAsync(job, ChunkSource<TIn>.From(inputs, cancellationToken), null, options ?? new MapOptions(), cancellationToken);

    /// <summary>Streams outcomes in the order they complete (<see cref="MapUnorderedAsync{TIn,TOut}(IJobContract{TIn,TOut},IAsyncEnumerable{TIn},MapOptions?,CancellationToken)"/> over a plain sequence).</summary>
    public IAsyncEnumerable<TaskOutcome<TOut>> MapUnorderedAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default) =>
        UnorderedAsync(job, ChunkSource<TIn>.From(inputs), CountOf(inputs), options ?? new MapOptions(), cancellationToken);

    /// <summary>Runs <paramref name="job"/> on one input (Python's <c>apply_async</c>).</summary>
    /// <exception cref="PoolTaskException">The input failed on every try.</exception>
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
        IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions options, Action<IPoolMessage, T[]> place, CancellationToken cancellationToken)
    {
        var total = CountOf(inputs);
        var results = new T[total ?? 0];
        var length = 0;
        await foreach (var message in RunAsync(job, ChunkSource<TIn>.From(inputs), total, ordered: false, options, cancellationToken).ConfigureAwait(false))
        {
            var end = checked((int)(FirstIndexOf(message) + LengthOf(message)));
            if (end > results.Length) Array.Resize(ref results, Math.Max(end, 2 * results.Length));
            place(message, results);
            length = Math.Max(length, end);
        }
        return length == results.Length ? results : results[..length];
    }

    /// <summary>Splits each batch of results into one outcome per input, in the order the batches complete.</summary>
    private async IAsyncEnumerable<TaskOutcome<TOut>> UnorderedAsync<TIn, TOut>(
        IJobContract<TIn, TOut> job, ChunkSource<TIn> source, long? total, MapOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in RunAsync(job, source, total, ordered: false, options, cancellationToken).ConfigureAwait(false))
        {
            foreach (var outcome in Outcomes<TOut>(message)) yield return outcome;
        }
    }

    /// <summary>
    /// Runs one map job and yields its result messages whole (<see cref="ResultsReady"/> batches and,
    /// with <see cref="MapOptions.CollectFailures"/>, <see cref="InputFailed"/>), in input order when
    /// <paramref name="ordered"/>, else as they arrive; the public methods split them into items.
    /// </summary>
    private async IAsyncEnumerable<IPoolMessage> RunAsync<TIn, TOut>(
        IJobContract<TIn, TOut> job, ChunkSource<TIn> source, long? total, bool ordered, MapOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        options ??= new MapOptions();
        var jobType = job.GetType();
        JobRunner.ShapeOf(jobType); // a clear error here, not in a worker, for a type that cannot be a job
        var wireTypes = WireTypes.For(_system);
        wireTypes.Register(typeof(TIn));
        wireTypes.Register(typeof(TOut));

        var chunkSize = options.ChunkSize ?? (_settings.ChunkSize > 0 ? _settings.ChunkSize : AutoChunkSize(total));
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(options), chunkSize, "ChunkSize must be at least 1.");
        var maxAttempts = options.MaxAttempts ?? _settings.MaxAttempts;
        if (maxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(options), maxAttempts, "MaxAttempts must be at least 1.");

        var channel = Channel.CreateUnbounded<IPoolMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var jobId = Interlocked.Increment(ref _nextJobId);
        var sink = _system.ActorOf(ResultSink.Props(channel.Writer), $"{Name}-job-{jobId}");
        Manager.Tell(new StartJob(jobId, JobRunner.NameOf(jobType), maxAttempts, options.TaskTimeout ?? _settings.TaskTimeout, sink));

        var waiting = new Dictionary<long, IPoolMessage>(); // ordered mode: fragments that arrived early
        var pids = new HashSet<int>();
        long submitted = 0, delivered = 0, completed = 0, failed = 0, next = 0;
        var inputDone = false;
        Task<TIn[]?>? nextChunk = null; // asked of the input and not ready yet
        Task<bool>? resultsWaiting = null;
        try
        {
            while (true)
            {
                var window = (long)chunkSize * _settings.WindowPerWorker * Routees();
                while (!inputDone && submitted - delivered < window)
                {
                    nextChunk ??= source.NextAsync(chunkSize, cancellationToken).AsTask();
                    // An input stream that is not ready must not hold back results: it may be waiting for them.
                    if (!nextChunk.IsCompleted) break;
                    var chunk = await nextChunk.ConfigureAwait(false);
                    nextChunk = null;
                    if (chunk is null) inputDone = true;
                    else
                    {
                        Manager.Tell(new SubmitChunk(jobId, submitted, chunk));
                        submitted += chunk.Length;
                    }
                }
                if (inputDone && delivered == submitted) break;

                if (!channel.Reader.TryRead(out var message))
                {
                    resultsWaiting ??= channel.Reader.WaitToReadAsync(cancellationToken).AsTask();
                    var inputWanted = nextChunk is not null && submitted - delivered < window;
                    await (inputWanted ? Task.WhenAny(resultsWaiting, nextChunk!) : (Task)resultsWaiting).ConfigureAwait(false);
                    if (resultsWaiting.IsCompleted)
                    {
                        await resultsWaiting.ConfigureAwait(false); // throws once cancelled
                        resultsWaiting = null;
                    }
                    continue;
                }
                if (message is InputFailed { } failure && !options.CollectFailures)
                    throw new PoolTaskException(ToFailure(failure));
                if (ordered)
                {
                    waiting[FirstIndexOf(message)] = message;
                    while (waiting.Remove(next, out var ready))
                    {
                        yield return ready;
                        var length = LengthOf(ready);
                        next += length;
                        delivered += length;
                        Count(ready);
                    }
                }
                else
                {
                    yield return message;
                    delivered += LengthOf(message);
                    Count(message);
                }
                options.Progress?.Report(new MapProgress(completed, failed, total, pids));
            }
        }
        finally
        {
            Manager.Tell(new EndJob(jobId));
            _system.Stop(sink);
            channel.Writer.TryComplete();
            await source.DisposeAsync().ConfigureAwait(false);
        }

        void Count(IPoolMessage message)
        {
            if (message is ResultsReady results)
            {
                completed += results.Outputs.Length;
                pids.Add(results.Pid);
            }
            else failed++;
        }
    }

    private int AutoChunkSize(long? total)
    {
        // Python's Pool.map: about four chunks per worker.
        if (total is not { } count) return Math.Min(_settings.MaxAutoChunkSize, 64);
        var perWorker = Routees() * 4L;
        var size = (count + perWorker - 1) / perWorker;
        return (int)Math.Clamp(size, 1, _settings.MaxAutoChunkSize);
    }

    /// <summary>
    /// The workers to size a map for: as many as the manager last reported, and never fewer than the
    /// pool was created with (worker processes may still be starting). The manager is asked again once
    /// a tick has passed (it learns the router's count once a tick itself); the answer is used when it
    /// comes, never waited for.
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

    private static long FirstIndexOf(IPoolMessage message) => message switch
    {
        ResultsReady results => results.FirstIndex,
        InputFailed failure => failure.Index,
        _ => throw new InvalidOperationException($"unexpected {message.GetType().Name} from the pool manager"),
    };

    private static int LengthOf(IPoolMessage message) => message is ResultsReady results ? results.Outputs.Length : 1;

    private static IEnumerable<TaskOutcome<TOut>> Outcomes<TOut>(IPoolMessage message)
    {
        if (message is InputFailed failure)
        {
            yield return new TaskOutcome<TOut>(failure.Index, default, ToFailure(failure));
            yield break;
        }
        var results = (ResultsReady)message;
        var outputs = (TOut[])results.Outputs;
        for (var i = 0; i < outputs.Length; i++) yield return new TaskOutcome<TOut>(results.FirstIndex + i, outputs[i], null);
    }

    private static TaskFailure ToFailure(InputFailed failure) =>
        new(failure.Index, failure.Input, failure.ErrorType, failure.ErrorMessage, failure.Attempts);

    /// <summary>Stops the manager, its router and workers (and in processes mode, its worker processes).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            // Worker processes stop in order first, so that none is cut off mid-conversation.
            if (_settings.Mode == PoolMode.Processes)
                await Manager.Ask<Processes.StopProcesses.Done>(Processes.StopProcesses.Instance, Processes.WorkerProcesses.OrderlyStopTimeout * 2).ConfigureAwait(false);
            await Manager.GracefulStop(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            await Manager.GracefulStop(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TaskCanceledException)
        {
            // The system is shutting down already; the manager goes with it.
        }
    }
}
