using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Actors.Cli.Commands;
using Actors.Cluster;
using Actors.Configuration;
using Actors.Jobs;
using Actors.Pool;
using Actors.Security;
using Akka.Actor;
using Akka.Cluster;

namespace Actors.Cli.Bench;

/// <summary>
/// The pool across cluster members against the pool across worker processes, on one machine in
/// one run: 1,000,000 × <c>square</c> on 4 workers each way (2 worker nodes × 2, 2 worker processes
/// × 2), rounds interleaved; and what a failed worker node costs a map — a node killed with SIGKILL
/// (its sockets close, so its workers' deaths are seen at once) and a node frozen with SIGSTOP (it
/// goes silent, as a machine that loses power or its network: only the failure detector and the
/// split brain resolver notice), split into detection, the resolver's stable-after, and re-running.
/// </summary>
public static class ClusterBenchmark
{
    public const int Items = 1_000_000;
    public const string Baseline = "WorkerPool, 2 worker processes x 2, TLS";
    public const string ClusterTls = "WorkerPool, cluster: 2 worker nodes x 2, TLS";
    public const string ClusterPlain = "WorkerPool, cluster: 2 worker nodes x 2, plain TCP";

    private const int Rounds = 5;
    private const int SleepInputs = 400; // x 20 ms on 4 workers: a map of about 2 s
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly List<string> Notes = [];

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(CancellationToken ct)
    {
#if DEBUG
        await Console.Error.WriteLineAsync("bench cluster: this is a Debug build; figures need `dotnet run -c Release --project src/Actors.Cli -- bench cluster`.");
        return [];
#else
        Notes.Clear();
        var results = new List<BenchResult>();
        results.AddRange(await ThroughputAsync(Items, Rounds, ct));
        results.AddRange(await FailureAsync("SIGKILL", "KILL", ct));
        results.AddRange(await FailureAsync("SIGSTOP", "STOP", ct));
        return results;
#endif
    }

    /// <summary>Ratios, the spread of the rounds, and the conditions of the run.</summary>
    public static IEnumerable<string> Describe(IReadOnlyList<BenchResult> results)
    {
        if (results.Count == 0) yield break;
        double? Rate(string name) => results.FirstOrDefault(r => r.Name == name)?.ItemsPerSecond;
        foreach (var name in new[] { ClusterTls, ClusterPlain })
            if (Rate(name) is { } x && Rate(Baseline) is { } y && y > 0)
                yield return string.Create(CultureInfo.InvariantCulture, $"{name} / {Baseline} = {x / y:0.00}x (medians of {Rounds} interleaved rounds)");
        foreach (var note in Notes) yield return note;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        yield return $"{Environment.ProcessorCount} cores, load average {load}, Release build, {(GCSettings.IsServerGC ? "server" : "workstation")} GC";
    }

    /// <summary>
    /// <paramref name="items"/> × <c>square</c> on each competitor, once to warm up, then
    /// <paramref name="rounds"/> interleaved rounds; every run's sum is checked.
    /// </summary>
    internal static async Task<IEnumerable<BenchResult>> ThroughputAsync(int items, int rounds, CancellationToken ct)
    {
        await using var tls = await BenchCluster.StartAsync(tls: true, ct);
        await using var plain = await BenchCluster.StartAsync(tls: false, ct);
        var config = ActorsConfig.Load(new ConfigOptions
        {
            Mode = "processes",
            Overrides = ["actors.pool.processes { count = 2, workers-per-process = 2 }", "akka.actor.deployment./bench.router = round-robin-pool", "akka.loglevel = ERROR"],
        });
        var system = WireSecurity.CreateSystem("bench", config);
        try
        {
            await using var processes = WorkerPool.Create(system, "bench");
            await BenchCluster.UntilAsync(async () => (await processes.GetStatusAsync(ct)).Routees == 4, "4 workers in 2 processes", ct);
            var competitors = new (string Name, WorkerPool Pool)[] { (Baseline, processes), (ClusterTls, tls.Pool), (ClusterPlain, plain.Pool) };
            var inputs = Enumerable.Range(0, items).Select(i => (long)i);
            var sumOfSquares = (long)items * (items - 1) * (2L * items - 1) / 6;
            foreach (var (_, pool) in competitors) await pool.MapAsync(new SquareJob(), inputs, cancellationToken: ct); // JIT on every side
            var timings = competitors.ToDictionary(c => c.Name, _ => new List<double>());
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, pool) in competitors)
                {
                    var started = Stopwatch.GetTimestamp();
                    var squares = await pool.MapAsync(new SquareJob(), inputs, cancellationToken: ct);
                    timings[name].Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
                    if (squares.Sum() != sumOfSquares) throw new InvalidOperationException($"{name} computed a wrong sum");
                }
            }
            foreach (var (name, seconds) in timings)
                Notes.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: min {seconds.Min():0.000} s, median {Median(seconds):0.000} s, max {seconds.Max():0.000} s"));
            return timings.Select(t => new BenchResult(t.Key, items, Median(t.Value)));
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>A map of <see cref="SleepInputs"/> × 20 ms is run once whole, then again with worker-1 signalled once it has taken work.</summary>
    private static async Task<IEnumerable<BenchResult>> FailureAsync(string label, string signal, CancellationToken ct)
    {
        await using var cluster = await BenchCluster.StartAsync(tls: true, ct);
        var victim = cluster.Nodes[1];
        var victimAddress = Address.Parse(await victim.AddressAsync(Patience, ct));
        var clock = new ConcurrentDictionary<string, long>();
        cluster.Submitter.ActorOf(Props.Create(() => new MemberClock(victimAddress, clock)), "member-clock");
        var inputs = Enumerable.Repeat(20L, SleepInputs).ToArray();
        var options = new MapOptions { ChunkSize = 1 };

        var started = Stopwatch.GetTimestamp();
        await cluster.Pool.MapAsync(new SleepJob(), inputs, options, ct);
        var whole = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var pids = new ConcurrentDictionary<int, byte>();
        var map = cluster.Pool.MapAsync(new SleepJob(), inputs, options with { Progress = new Recorder(pids) }, ct);
        await BenchCluster.UntilAsync(() => Task.FromResult(pids.ContainsKey(victim.Pid)), $"worker-1 ({victim.Pid}) finishing a chunk", ct);
        var retries = (await cluster.Pool.GetStatusAsync(ct)).Retries;
        var signalled = Stopwatch.GetTimestamp();
        using (var send = Process.Start("kill", ["-s", signal, victim.Pid.ToString(CultureInfo.InvariantCulture)])) await send.WaitForExitAsync(ct);
        long requeued = 0;
        while (!map.IsCompleted && requeued == 0)
        {
            if ((await cluster.Pool.GetStatusAsync(ct)).Retries > retries) requeued = Stopwatch.GetTimestamp();
            else await Task.Delay(5, ct);
        }
        var outputs = await map.WaitAsync(Patience, ct);
        var done = Stopwatch.GetTimestamp();
        if (outputs.Length != SleepInputs || outputs.Any(output => output != 20)) throw new InvalidOperationException($"{label}: a wrong result");
        // The cluster's verdict, for the record, even when the map did not need it.
        await BenchCluster.UntilAsync(() => Task.FromResult(clock.ContainsKey("downed")), "the victim being downed", ct);

        double Since(long at) => Stopwatch.GetElapsedTime(signalled, at).TotalSeconds;
        var unreachable = Since(clock["unreachable"]);
        var downed = Since(clock["downed"]);
        Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{label} of a worker node: its chunks queued again after {Since(requeued):0.00} s; the failure detector: unreachable after {unreachable:0.00} s (detection); "
            + $"the split brain resolver: downed {downed - unreachable:0.00} s later (stable-after 5 s and a leader round); the map done {Since(done):0.00} s after the signal, "
            + $"{Since(done) - Math.Max(Since(requeued), 0):0.00} s after its chunks were queued again (re-running); the same map without a failure: {whole:0.00} s"));
        return
        [
            new BenchResult($"{label}: map of {SleepInputs} x 20 ms, no failure", SleepInputs, whole),
            new BenchResult($"{label}: signal -> chunks queued again", 0, Since(requeued)),
            new BenchResult($"{label}: signal -> member unreachable (detection)", 0, unreachable),
            new BenchResult($"{label}: unreachable -> downed (stable-after)", 0, downed - unreachable),
            new BenchResult($"{label}: signal -> map done", SleepInputs, Since(done)),
        ];
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
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

    /// <summary>A seed and two worker nodes as processes, as <c>actors cluster up</c> starts them, and a member in this process with a pool of 4 workers.</summary>
    private sealed class BenchCluster : IAsyncDisposable
    {
        private readonly string _folder;

        private BenchCluster(string folder, List<ClusterNodeProcess> nodes, ActorSystem submitter, WorkerPool pool)
        {
            _folder = folder;
            Nodes = nodes;
            Submitter = submitter;
            Pool = pool;
        }

        public List<ClusterNodeProcess> Nodes { get; }

        public ActorSystem Submitter { get; }

        public WorkerPool Pool { get; }

        public static async Task<BenchCluster> StartAsync(bool tls, CancellationToken ct)
        {
            var folder = Path.Combine(Path.GetTempPath(), $"actors-bench-cluster-{Guid.NewGuid():N}");
            var userConfig = Path.Combine(Path.GetTempPath(), $"actors-bench-cluster-{Guid.NewGuid():N}.conf");
            await File.WriteAllTextAsync(userConfig, $"actors.security.tls.enabled = {(tls ? "on" : "off")}\nakka.loglevel = ERROR\n", ct);
            var credentials = ClusterDevCredentials.Create(folder, userConfig, tls);
            File.Delete(userConfig);
            var nodes = new List<ClusterNodeProcess>();
            string[] host = ["127.0.0.1"];
            nodes.Add(ClusterNodeProcess.Start("seed", ["--role", ClusterNodeOptions.SeedRole, "--config", credentials.ConfigFor("seed", host), "--parent-pid", Text(Environment.ProcessId)]));
            var seed = await nodes[0].AddressAsync(Patience, ct);
            for (var i = 1; i <= 2; i++)
                nodes.Add(ClusterNodeProcess.Start($"worker-{i}", ["--role", ClusterNodeOptions.WorkerRole, "--seeds", seed, "--config", credentials.ConfigFor($"worker-{i}", host), "--parent-pid", Text(Environment.ProcessId)]));
            var config = ActorsConfig.Load(new ConfigOptions { Mode = "cluster", File = credentials.ConfigFor("submitter", host), Overrides = [$"akka.cluster.seed-nodes = [\"{seed}\"]"] });
            var submitter = ClusterNode.CreateSystem(config);
            var pool = WorkerPool.Create(submitter, "map");
            await UntilAsync(async () => (await pool.GetStatusAsync(ct)).Routees == 4, "4 workers on 2 worker nodes", ct);
            return new BenchCluster(folder, nodes, submitter, pool);
        }

        public static async Task UntilAsync(Func<Task<bool>> condition, string what, CancellationToken ct)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(Patience);
            try
            {
                while (!await condition()) await Task.Delay(20, deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"bench cluster: waited {Patience} for {what}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Pool.DisposeAsync();
            await CoordinatedShutdown.Get(Submitter).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
            foreach (var node in Nodes) node.Dispose();
            Directory.Delete(_folder, recursive: true);
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
