using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Actors.Cli.Commands;
using Actors.Cluster;
using Actors.Jobs;
using Actors.Pool;
using Akka.Actor;
using Akka.Cluster;

namespace Actors.Cli.Bench;

/// <summary>The phases of one failure run of <see cref="ClusterBenchmark"/>, in seconds.</summary>
/// <param name="CleanMap">The same map on the same cluster before the failure, whole.</param>
/// <param name="Unreachable">Signal until the cluster saw the victim unreachable (the failure detector), or downed when that came first.</param>
/// <param name="Downed">Unreachable until the victim was downed (the split brain resolver's stable-after and a leader round).</param>
/// <param name="Requeued">Signal until the pool queued the victim's chunks again.</param>
/// <param name="Done">Signal until the map finished.</param>
public sealed record ClusterFailureTimings(double CleanMap, double Unreachable, double Downed, double Requeued, double Done);

/// <summary>
/// One failure run: a fresh cluster (a killed node is gone, a frozen one is no longer the same
/// member), a map of short sleeps run once whole, then again with worker-1 signalled once it has
/// finished a chunk; the clocks stop at each phase and the map's every output is checked after.
/// </summary>
internal static class ClusterFailureRuns
{
    /// <summary>Each input sleeps this many milliseconds.</summary>
    public const long SleepMilliseconds = 20;

    /// <summary>Runs one failure of worker-1 by <paramref name="signal"/> (<c>KILL</c> or <c>STOP</c>) during a map of <paramref name="sleeps"/> sleeps.</summary>
    /// <param name="supervised">This process, the victim's parent, reports its exit to the seed as <c>cluster up</c> does, so that it is downed at once.</param>
    /// <exception cref="BenchCheckException">The map delivered a wrong output, or the victim held no chunk to queue again.</exception>
    public static async Task<ClusterFailureTimings> RunAsync(string label, string signal, int sleeps, CancellationToken ct, int workers = 2, int workersPerNode = 2, bool supervised = false)
    {
        await using var cluster = await BenchCluster.StartAsync(tls: true, workers, workersPerNode, ct);
        var victim = cluster.Nodes[1];
        var victimAddress = Address.Parse(await victim.AddressAsync(BenchCluster.Patience, ct));
        var clock = new ConcurrentDictionary<string, long>();
        cluster.Submitter.ActorOf(Props.Create(() => new MemberClock(victimAddress, clock)), "member-clock");
        var inputs = Enumerable.Repeat(SleepMilliseconds, sleeps).ToArray();
        var options = new MapOptions { ChunkSize = 1 };

        var started = Stopwatch.GetTimestamp();
        var clean = await cluster.Pool.MapAsync(new SleepJob(), inputs, options, ct);
        var cleanSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Check(label + ", the map without a failure", clean, sleeps);

        var pids = new ConcurrentDictionary<int, byte>();
        var map = cluster.Pool.MapAsync(new SleepJob(), inputs, options with { Progress = new Recorder(pids) }, ct);
        await BenchCluster.UntilAsync(() => Task.FromResult(pids.ContainsKey(victim.Pid)), $"worker-1 ({victim.Pid}) finishing a chunk", ct);
        var retries = (await cluster.Pool.GetStatusAsync(ct)).Retries;
        var signalled = Stopwatch.GetTimestamp();
        using (var send = Process.Start("kill", ["-s", signal, victim.Pid.ToString(CultureInfo.InvariantCulture)])) await send.WaitForExitAsync(ct);
        var reported = supervised ? ReportExitAsync(cluster, victim, victimAddress, ct) : Task.CompletedTask;
        long requeued = 0;
        while (!map.IsCompleted && requeued == 0)
        {
            if ((await cluster.Pool.GetStatusAsync(ct)).Retries > retries) requeued = Stopwatch.GetTimestamp();
            else await Task.Delay(5, ct);
        }
        var outputs = await map.WaitAsync(BenchCluster.Patience, ct);
        var done = Stopwatch.GetTimestamp();
        Check(label, outputs, sleeps);
        if (requeued == 0)
            throw new BenchCheckException($"{label}: the map ended without queueing a chunk again; worker-1 held none when signalled, so the run measured no recovery.");
        // The cluster's verdict, even when the map did not need it.
        await BenchCluster.UntilAsync(() => Task.FromResult(clock.ContainsKey("downed")), "the victim being downed", ct);
        await reported;

        double Since(long at) => Stopwatch.GetElapsedTime(signalled, at).TotalSeconds;
        // A member whose process is gone is downed at once (DeadMemberDowner), often before the failure detector has missed it.
        var unreachable = Since(clock.TryGetValue("unreachable", out var seen) ? Math.Min(seen, clock["downed"]) : clock["downed"]);
        return new ClusterFailureTimings(cleanSeconds, unreachable, Since(clock["downed"]) - unreachable, Since(requeued), Since(done));
    }

    /// <summary>
    /// What <c>cluster up</c> does when a child exits: once the victim's process is gone, tells the
    /// seed, which downs the member when its port refuses a connection.
    /// </summary>
    private static async Task ReportExitAsync(BenchCluster cluster, ClusterNodeProcess victim, Address victimAddress, CancellationToken ct)
    {
        await victim.ExitedAsync(ct);
        var seed = Address.Parse(await cluster.Nodes[0].AddressAsync(BenchCluster.Patience, ct));
        var reason = string.Create(CultureInfo.InvariantCulture, $"process exited (pid {victim.Pid}; seen by the bench)");
        var noted = await NodeStatusActor.ReportExitedAsync(cluster.Submitter, seed, victimAddress.ToString(), reason, BenchCluster.Patience, ct);
        if (!noted.Downed) throw new BenchCheckException($"the seed did not down worker-1 on its parent's report: {noted.Detail}");
    }

    private static void Check(string what, long[] outputs, int sleeps)
    {
        if (outputs.Length != sleeps || outputs.Any(output => output != SleepMilliseconds))
            throw new BenchCheckException(string.Create(CultureInfo.InvariantCulture,
                $"{what}: {outputs.Length} outputs summing to {outputs.Sum()}, expected {sleeps} of {SleepMilliseconds}."));
    }

    /// <summary>Records when the cluster first saw one member unreachable and downed.</summary>
    private sealed class MemberClock : ReceiveActor
    {
        public MemberClock(Address member, ConcurrentDictionary<string, long> clock)
        {
            Receive<ClusterEvent.UnreachableMember>(e => e.Member.Address == member, _ => clock.TryAdd("unreachable", Stopwatch.GetTimestamp()));
            Receive<ClusterEvent.MemberDowned>(e => e.Member.Address == member, _ => clock.TryAdd("downed", Stopwatch.GetTimestamp()));
            Receive<ClusterEvent.MemberRemoved>(e => e.Member.Address == member, _ => clock.TryAdd("downed", Stopwatch.GetTimestamp()));
            ReceiveAny(_ => { });
        }

        protected override void PreStart() =>
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
    }

    private sealed class Recorder(ConcurrentDictionary<int, byte> pids) : IProgress<MapProgress>
    {
        public void Report(MapProgress value)
        {
            foreach (var pid in value.Pids) pids.TryAdd(pid, 0);
        }
    }
}
