using System.Diagnostics;
using System.Runtime.CompilerServices;
using Actors.Jobs;
using Actors.Pool.Placement;
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
public sealed partial class WorkerPool : IWorkerPool
{
    private readonly ActorSystem _system;
    private readonly PoolSettings _settings;
    private readonly int _routeesHint;
    /// <summary>Whether the workers share this process's memory (outputs may be written in place; nothing crosses a wire).</summary>
    private readonly bool _inProcess;
    /// <summary>How long <see cref="WhenReadyAsync"/> waits by default, as the placement says.</summary>
    private readonly TimeSpan _readyTimeout;
    private readonly PoolLifetime _lifetime;
    /// <summary>What the pool's calls are tagged with in its metrics and spans.</summary>
    private readonly Telemetry.PoolTags _tags;
    /// <summary>The batchers of single submits, by input and output type and policy.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Type In, Type Out, JobPolicy Policy), object> _submits = new();
    private Task? _disposal;
    private long _lastJobId;
    // The routee count the manager last reported (a resizer or a lost process changes it), and when it was asked.
    private int _routeesReported;
    private long _routeesAskedAt;

    private WorkerPool(ActorSystem system, string name, IActorRef manager, PoolSettings settings, bool inProcess, PlacementPlan plan)
    {
        _system = system;
        Name = name;
        Manager = manager;
        _settings = settings;
        _inProcess = inProcess;
        _routeesHint = plan.ExpectedWorkers;
        _readyTimeout = plan.ReadyTimeout;
        _lifetime = new PoolLifetime(name);
        _tags = new Telemetry.PoolTags(name, settings.Mode);
        _ = EndWhenManagerStopsAsync();
    }

    /// <summary>The pool's name: its manager's actor name and the key of its router in <c>akka.actor.deployment</c>.</summary>
    public string Name { get; }

    /// <summary>The pool manager actor (accepts <see cref="GetPoolStatus"/>).</summary>
    public IActorRef Manager { get; }

    /// <summary>
    /// Creates a pool named <paramref name="name"/>. Its router comes from
    /// <c>akka.actor.deployment./NAME</c> unless <paramref name="router"/> is given; its settings
    /// from <c>actors.pool</c> unless <paramref name="settings"/> is given. Where its workers live is
    /// the placement <c>actors.pool.mode</c> names (local, processes, cluster); create the actor system
    /// with <see cref="PoolSystem.Create"/> so that it meets that placement's needs.
    /// </summary>
    /// <exception cref="ArgumentException">No pool router is configured for the name; or, in cluster mode, the router has a resizer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">In every mode, a size that gives no worker: the router's nr-of-instances (or a resizer's lower bound) below 1.</exception>
    /// <exception cref="Configuration.ConfigException">A setting is invalid (the message names its key).</exception>
    /// <exception cref="InvalidOperationException">The actor system does not suit the placement: processes mode runs TLS,
    /// but the system was not created with its credentials; or cluster mode in a system that is not a cluster member.</exception>
    public static WorkerPool Create(ActorSystem system, string name, Akka.Routing.Pool? router = null, PoolSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        settings ??= PoolSettings.Create(system.Settings.Config.GetConfig(PoolSettings.SectionPath));
        var pool = router ?? ConfiguredRouter(system, name);
        var placement = WorkerPlacements.For(system, settings);
        PoolSizes.Check(name, pool, placement.LeastRouterSize, system);
        settings.Validate();
        var plan = placement.Plan(new PlacementRequest(system, name, pool, settings));
        var choice = pool is SmallestMailboxPool || pool is Akka.Cluster.Routing.ClusterRouterPool { Local: SmallestMailboxPool }
            ? WorkerChoice.LeastLoaded : WorkerChoice.RoundRobin;
        var manager = system.ActorOf(PoolManager.Props(settings, choice, plan.Memberships), name);
        return new WorkerPool(system, name, manager, settings, placement.InProcess, plan);
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
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    public async Task<PoolStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        using var lease = _lifetime.Enter(cancellationToken);
        var status = await Manager.Ask<PoolStatus>(GetPoolStatus.Instance, _settings.AskTimeout, lease.Token).ConfigureAwait(false);
        Volatile.Write(ref _routeesReported, status.Routees); // the next map is sized for the workers there are now
        return status;
    }

    /// <summary>
    /// Waits until every worker the pool was created for is ready (in processes mode, until its
    /// worker processes are up), as Python's <c>Pool()</c> returns once its processes have started.
    /// A map does not need to wait: it starts on the workers there are.
    /// </summary>
    /// <param name="timeout">How long to wait; by default as long as the placement's hosts may take to start (processes mode: their start timeout; otherwise the ask timeout).</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The pool's status once it is ready.</returns>
    /// <exception cref="PoolUnavailableException">The pool has no workers and expects none (its worker processes cannot start).</exception>
    /// <exception cref="TimeoutException">Not every worker was ready in time; the message says how many were.</exception>
    public async Task<PoolStatus> WhenReadyAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var wait = timeout ?? _readyTimeout;
        PoolStatus status;
        try
        {
            using var lease = _lifetime.Enter(cancellationToken);
            status = await Manager.Ask<PoolStatus>(new WaitForWorkers(_routeesHint), wait, lease.Token).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            var now = await GetStatusAsync(cancellationToken).ConfigureAwait(false);
            if (now.Unavailable is { } why) throw new PoolUnavailableException(why);
            throw new TimeoutException($"pool '{Name}': {now.Routees} of {_routeesHint} workers ready after {wait}");
        }
        return status.Unavailable is { } reason ? throw new PoolUnavailableException(reason) : status;
    }

    /// <summary>Runs <paramref name="job"/> on every input; outputs in input order (Python's <c>map</c>).</summary>
    /// <exception cref="Exception">The job's own exception when an input's job threw on its last try (the same object in this process, the
    /// rebuilt type across processes), marked with its input: read it with <see cref="PoolFailure.FailedInput"/>.</exception>
    /// <exception cref="PoolTaskException">An input failed on its last try for a reason of the pool's own (a timeout, a lost worker, …).</exception>
    public Task<TOut[]> MapAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default) =>
        CollectAsync<TIn, TOut, TOut>(job, inputs, options, collectFailures: false, inPlace: true,
            static (message, outputs) =>
            {
                // Without collecting failures, a failed input has thrown already; outputs written in place come as null.
                if (((ResultsReady)message).Outputs is { } batch) Array.Copy(batch, 0, outputs, message.FirstIndex, batch.Length);
            }, cancellationToken);

    /// <summary>Like <see cref="MapAsync{TIn,TOut}"/>, but a failed input becomes a failed outcome instead of failing the map.</summary>
    public Task<TaskOutcome<TOut>[]> MapOutcomesAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default) =>
        CollectAsync<TIn, TOut, TaskOutcome<TOut>>(job, inputs, options, collectFailures: true, inPlace: false,
            static (message, outcomes) =>
            {
                foreach (var outcome in Outcomes<TOut>(message)) outcomes[outcome.Index] = outcome;
            }, cancellationToken);

    /// <summary>Streams outputs in input order as they become ready (Python's <c>imap</c>).</summary>
    /// <exception cref="Exception">As <see cref="MapAsync{TIn,TOut}"/>, in the failed input's turn: the outputs before it have been yielded.
    /// An exception of <paramref name="inputs"/> itself comes after the outputs of the inputs it gave before it (Python's <c>imap</c>).</exception>
    public async IAsyncEnumerable<TOut> MapOrderedAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IAsyncEnumerable<TIn> inputs, MapOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var run = Start(job, ChunkSource<TIn>.From(inputs, cancellationToken), null, options, collectFailures: false);
        await foreach (var message in run.RunAsync(ordered: true, cancellationToken).ConfigureAwait(false))
        {
            foreach (var output in (TOut[])((ResultsReady)message).Outputs!) yield return output; // a stream has no destination
        }
    }

    /// <summary>
    /// Streams outcomes in the order they complete, each with its input's index (Python's <c>imap_unordered</c>); a failed input is a
    /// failed outcome (its <see cref="TaskFailure.Exception"/> the job's own). An exception of <paramref name="inputs"/> is thrown
    /// after the outcomes of the inputs it gave before it.
    /// </summary>
    public IAsyncEnumerable<TaskOutcome<TOut>> MapUnorderedAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IAsyncEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default) =>
        UnorderedAsync<TIn, TOut>(Start(job, ChunkSource<TIn>.From(inputs, cancellationToken), null, options, collectFailures: true), cancellationToken);

    /// <summary>Streams outcomes in the order they complete (<see cref="MapUnorderedAsync{TIn,TOut}(IJobContract{TIn,TOut},IAsyncEnumerable{TIn},MapOptions?,CancellationToken)"/> over a plain sequence).</summary>
    public IAsyncEnumerable<TaskOutcome<TOut>> MapUnorderedAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default) =>
        UnorderedAsync<TIn, TOut>(Start(job, ChunkSource<TIn>.From(inputs), CountOf(inputs), options, collectFailures: true), cancellationToken);

    /// <summary>
    /// Runs <paramref name="job"/> on one input (Python's <c>apply_async</c>). Submits of the same
    /// job and options that come while others wait travel to the workers together, a chunk at a time;
    /// each still has its own outcome. <see cref="MapOptions.ChunkSize"/> does not apply.
    /// </summary>
    /// <exception cref="Exception">The job's own exception, marked with its input (<see cref="PoolFailure.FailedInput"/>), or a
    /// <see cref="PoolTaskException"/> for a failure of the pool's own.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled the wait (the input still runs).</exception>
    public Task<TOut> SubmitAsync<TIn, TOut>(IJobContract<TIn, TOut> job, TIn input, MapOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            options ??= new MapOptions();
            if (options.Progress is not null) return SubmitAloneAsync(job, input, options, cancellationToken);
            var policy = Prepare(job, options);
            var batcher = (SubmitBatcher<TIn, TOut>)_submits.GetOrAdd((typeof(TIn), typeof(TOut), policy), _ =>
            {
                var jobId = NewJobId(out var sinkName);
                return new SubmitBatcher<TIn, TOut>(_system, Manager, sinkName, jobId, policy, Routees, _lifetime, _tags);
            });
            return batcher.SubmitAsync(input, cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Task.FromException<TOut>(e); // as from every other call: a faulted task, not a throw
        }
    }

    /// <summary>A submit that reports progress runs as a map of its own.</summary>
    private async Task<TOut> SubmitAloneAsync<TIn, TOut>(IJobContract<TIn, TOut> job, TIn input, MapOptions options, CancellationToken cancellationToken)
    {
        var outputs = await MapAsync(job, [input], options with { ChunkSize = 1 }, cancellationToken).ConfigureAwait(false);
        return outputs[0];
    }

}
