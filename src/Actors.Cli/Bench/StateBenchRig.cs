using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.DistributedData;
using SharedState;
using SharedState.Processes;
using SharedState.Replication;

namespace Actors.Cli.Bench;

/// <summary>
/// What <see cref="StateBenchmark"/>'s competitors run on, started once per benchmark run rather
/// than per round: an actor system for the in-process counter, the process that owns a counter
/// with its <see cref="StateBenchmark.Clients"/> client processes, and two DistributedData cluster
/// nodes joined to each other. Disposing kills the client processes and stops every actor system.
/// </summary>
internal sealed class StateBenchRig : IAsyncDisposable
{
    /// <summary>
    /// Rounds the client processes are told to run: more than any benchmark asks for (the harness's
    /// warm-up repeats a run for a second, so the number of runs is not known in advance). The
    /// clients wait at the owner's barrier between runs and are killed when the rig is disposed.
    /// </summary>
    private const int ClientRounds = 1_000_000;

    private readonly CounterOwner _owner;
    private readonly ReplicatedNode _a;
    private readonly ReplicatedNode _b;
    private readonly int _clientIncrements;
    private long _remoteRuns;

    private StateBenchRig(SharedStateSettings settings, ActorSystem system, CounterOwner owner, ReplicatedNode a, ReplicatedNode b, int clientIncrements) =>
        (Settings, System, _owner, _a, _b, _clientIncrements) = (settings, system, owner, a, b, clientIncrements);

    public SharedStateSettings Settings { get; }

    /// <summary>The in-process counter actors' system.</summary>
    public ActorSystem System { get; }

    /// <summary>Starts everything and waits until the client processes are started and both nodes see each other.</summary>
    public static async Task<StateBenchRig> StartAsync(StateBenchSizes sizes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var settings = SharedStateSettings.Default;
        var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(SharedStateSettings.Defaults);
        var system = ActorSystem.Create("state-bench", config);
        CounterOwner? owner = null;
        ReplicatedNode? a = null, b = null;
        try
        {
            var credentials = ReplicatedNode.NewClusterCredentials();
            a = ReplicatedNode.Start(settings, credentials);
            b = ReplicatedNode.Start(settings, credentials);
            await a.JoinAsync(a, ct).ConfigureAwait(false);
            await b.JoinAsync(a, ct).ConfigureAwait(false);
            await Task.WhenAll(a.WaitForReplicasAsync(2, ct), b.WaitForReplicasAsync(2, ct)).ConfigureAwait(false);
            // Last: the clients' first wait at the barrier is bounded by the start timeout.
            owner = CounterOwner.Start(settings, StateBenchmark.Clients);
            await owner.StartClientsAsync(sizes.ClientIncrements, ClientRounds, ct).ConfigureAwait(false);
            return new StateBenchRig(settings, system, owner, a, b, sizes.ClientIncrements);
        }
        catch
        {
            if (a is not null) await a.DisposeAsync().ConfigureAwait(false);
            if (b is not null) await b.DisposeAsync().ConfigureAwait(false);
            if (owner is not null) await owner.DisposeAsync().ConfigureAwait(false);
            await system.Terminate().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// One round of the client processes, timed by the owner from the barrier that starts them to the
    /// one they meet at once the owner has confirmed their increments; the sum is what the owner's
    /// counter grew by, read after the clock stopped.
    /// </summary>
    public async Task<BenchRun> RemoteRoundAsync(CancellationToken ct)
    {
        var before = (await _owner.GetCountAsync(ct).ConfigureAwait(false)).Total;
        var elapsed = await _owner.RunRoundAsync(first: Interlocked.Increment(ref _remoteRuns) == 1, ct).ConfigureAwait(false);
        var after = (await _owner.GetCountAsync(ct).ConfigureAwait(false)).Total;
        return new BenchRun(elapsed.TotalSeconds, (long)StateBenchmark.Clients * _clientIncrements, after - before);
    }

    /// <summary>
    /// <paramref name="writes"/> GCounter increments on each node at once, each awaited with
    /// <paramref name="majority"/> or local consistency; the sum is what the counter grew by, read
    /// with majority consistency before and after the clock.
    /// </summary>
    public async Task<BenchRun> WriteAsync(int writes, bool majority, CancellationToken ct)
    {
        var before = await _a.ReadCountAsync(_a.ReadMajority, ct).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(new[] { _a, _b }.Select(async node =>
        {
            IWriteConsistency consistency = majority ? node.WriteMajority : WriteLocal.Instance;
            for (var i = 0; i < writes; i++) await node.IncrementAsync(consistency, ct).ConfigureAwait(false);
        })).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var after = await _a.ReadCountAsync(_a.ReadMajority, ct).ConfigureAwait(false);
        return new BenchRun(seconds, 2L * writes, (long)(after - before));
    }

    public async ValueTask DisposeAsync()
    {
        await _owner.DisposeAsync().ConfigureAwait(false);
        await _a.DisposeAsync().ConfigureAwait(false);
        await _b.DisposeAsync().ConfigureAwait(false);
        await System.Terminate().ConfigureAwait(false);
    }
}
