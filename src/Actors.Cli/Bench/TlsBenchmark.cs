using System.Diagnostics;
using Actors.Configuration;
using Actors.Security;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.Cli.Bench;

/// <summary>
/// What TLS costs on the wire, on the shared harness: two actor systems in this process over
/// loopback, with the remoting settings of processes mode, once over plain <c>akka.tcp</c> (each
/// scenario's baseline) and once over mutual TLS with the pool's pinned ephemeral certificate
/// (ECDSA P-256). Every scenario is a group of its own, plain against TLS:
/// <list type="bullet">
/// <item>connecting: fresh systems per run, from the first Identify to its answer (TCP, TLS and Akka handshakes);</item>
/// <item>request/response with one request outstanding (latency) and with 64 (small-message throughput);</item>
/// <item>bulk: 64 KiB messages one way, 16 outstanding, each acknowledged (items are bytes).</item>
/// </list>
/// The exchanges run over one plain pair and one TLS pair started once per benchmark run; every
/// run's answers are counted and summed, and checked by the harness after the clock stopped.
/// </summary>
public static class TlsBenchmark
{
    /// <summary>Fresh systems, from the first Identify to its answer.</summary>
    public const string Connect = "connect (first reply)";

    /// <summary>Request/response with one request outstanding.</summary>
    public const string Latency = "request/response, 1 outstanding";

    /// <summary>Request/response with 64 requests outstanding.</summary>
    public const string Throughput = "request/response, 64 outstanding";

    /// <summary>Blocks of <see cref="BulkSize"/> bytes one way, 16 outstanding.</summary>
    public const string Bulk = "bulk 64 KiB messages (items = bytes)";

    /// <summary>Bytes per message of <see cref="Bulk"/>.</summary>
    public const int BulkSize = 64 * 1024;

    /// <summary>Every scenario, in report order; each has a plain row (its baseline) and a TLS row.</summary>
    public static IReadOnlyList<string> ScenarioNames { get; } = [Connect, Latency, Throughput, Bulk];

    /// <summary>Requests a freshly connected pair answers after its clock stopped: the connect rows' check.</summary>
    private const int ConnectCheck = 10;

    private const string ResponderName = "responder";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>The row of <paramref name="scenario"/> over plain TCP (<paramref name="tls"/> false) or TLS.</summary>
    public static string RowName(string scenario, bool tls) => $"{scenario}, {(tls ? "TLS" : "plain")}";

    /// <summary>Runs the benchmark at the command's sizes.</summary>
    public static Task<BenchOutcome> RunAsync(int rounds, TextWriter? progress, CancellationToken ct) =>
        RunAsync(TlsBenchSizes.Default, rounds, BenchHarness.DefaultWarmUp, progress, ct);

    /// <summary>Starts a plain pair and a TLS pair and runs every scenario over both at <paramref name="sizes"/>.</summary>
    internal static async Task<BenchOutcome> RunAsync(TlsBenchSizes sizes, int rounds, TimeSpan warmUp, TextWriter? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        // Processes mode runs untrusted-mode, which refuses a selection by path from the wire unless the path is trusted.
        var config = ActorsConfig.Load(new ConfigOptions
        {
            Mode = "processes",
            Overrides = ["akka.loglevel = ERROR", $"akka.remote.trusted-selection-paths = [\"/user/{ResponderName}\"]"],
        });
        var tls = TlsPolicy.Ephemeral("bench");
        await using var plainPair = await Pair.StartAsync(config, null, ct).ConfigureAwait(false);
        await using var tlsPair = await Pair.StartAsync(config, tls, ct).ConfigureAwait(false);

        BenchGroup Scenario(string name, long items, BenchExpectation expected, Func<Pair, TlsPolicy?, CancellationToken, Task<BenchRun>> run) =>
            new(name, RowName(name, tls: false),
            [
                new(RowName(name, tls: false), items, expected, ct => run(plainPair, null, ct)),
                new(RowName(name, tls: true), items, expected, ct => run(tlsPair, tls, ct)),
            ]);

        var bulkBytes = (long)sizes.BulkMessages * BulkSize;
        var block = new byte[BulkSize];
        var plan = new BenchPlan("tls", "tls: two actor systems over loopback, plain TCP against mutual TLS with a pinned ECDSA P-256 certificate",
        [
            Scenario(Connect, 1, BenchExpectation.Range(ConnectCheck), (_, policy, ct) => ConnectAsync(config, policy, ct)),
            Scenario(Latency, sizes.LatencyRequests, BenchExpectation.Range(sizes.LatencyRequests), (pair, _, ct) => pair.ExchangeAsync(sizes.LatencyRequests, window: 1, payload: null, ct)),
            Scenario(Throughput, sizes.ThroughputRequests, BenchExpectation.Range(sizes.ThroughputRequests), (pair, _, ct) => pair.ExchangeAsync(sizes.ThroughputRequests, window: 64, payload: null, ct)),
            Scenario(Bulk, bulkBytes, new(sizes.BulkMessages, bulkBytes), (pair, _, ct) => pair.ExchangeAsync(sizes.BulkMessages, window: 16, payload: block, ct)),
        ])
        {
            Notes =
            [
                "request/response rows echo the numbers 0 … N-1 (count and sum checked); bulk rows count the blocks and sum the lengths acknowledged",
                "connect rows start two fresh actor systems per run (one event per run: 'items/s' is connections per second); the new pair then answers 10 requests, checked, outside the clock",
            ],
        };
        return await BenchHarness.RunAsync(plan, rounds, warmUp, progress, ct).ConfigureAwait(false);
    }

    /// <summary>One line per scenario: how many times the time of plain TCP TLS takes (from the medians).</summary>
    public static IEnumerable<string> DescribeTargets(BenchOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        foreach (var name in ScenarioNames)
        {
            if (outcome.Find(RowName(name, tls: true)) is { Ratio: > 0 } row)
                yield return System.FormattableString.Invariant($"{name}: TLS takes {1 / row.Ratio:0.00}x the time of plain TCP (medians)");
        }
    }

    /// <summary>A fresh pair, timed until its first Identify is answered; then it answers <see cref="ConnectCheck"/> requests and stops.</summary>
    private static async Task<BenchRun> ConnectAsync(Config config, TlsPolicy? policy, CancellationToken ct)
    {
        await using var fresh = await Pair.StartAsync(config, policy, ct).ConfigureAwait(false);
        var check = await fresh.ExchangeAsync(ConnectCheck, window: 1, payload: null, ct).ConfigureAwait(false);
        return check with { Seconds = fresh.ConnectSeconds };
    }

    /// <summary>A client system and a server system with a responder, connected (the first Identify has been answered).</summary>
    private sealed class Pair : IAsyncDisposable
    {
        private readonly ActorSystem _client;
        private readonly ActorSystem _server;
        private readonly IActorRef _responder;

        private Pair(ActorSystem client, ActorSystem server, IActorRef responder, double connectSeconds) =>
            (_client, _server, _responder, ConnectSeconds) = (client, server, responder, connectSeconds);

        /// <summary>From the client's first Identify to the answer: TCP connect, TLS handshake, Akka's association handshake, one round trip.</summary>
        public double ConnectSeconds { get; }

        public static async Task<Pair> StartAsync(Config config, TlsPolicy? policy, CancellationToken ct)
        {
            ActorSystem Create(string name) => policy is null ? ActorSystem.Create(name, config) : policy.CreateActorSystem(name, config);
            var server = Create("tls-bench-server");
            var client = Create("tls-bench-client");
            try
            {
                var local = server.ActorOf(Props.Create<Responder>(), ResponderName);
                var address = ((ExtendedActorSystem)server).Provider.DefaultAddress;
                var started = Stopwatch.GetTimestamp();
                var remote = await client.ActorSelection(local.Path.ToStringWithAddress(address)).ResolveOne(Patience, ct);
                return new Pair(client, server, remote, Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
            catch
            {
                await Task.WhenAll(client.Terminate(), server.Terminate()).WaitAsync(Patience, CancellationToken.None);
                throw;
            }
        }

        /// <summary>
        /// Sends <paramref name="total"/> requests, <paramref name="window"/> at a time, timed from
        /// the first to the last answer's arrival; the run's count is the answers and its sum theirs
        /// (the numbers 0 … total-1 echoed, or each block's length).
        /// </summary>
        public async Task<BenchRun> ExchangeAsync(int total, int window, byte[]? payload, CancellationToken ct)
        {
            var done = new TaskCompletionSource<(long Count, long Sum)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var started = Stopwatch.GetTimestamp();
            var driver = _client.ActorOf(Props.Create(() => new Driver(_responder, total, window, payload, done)));
            try
            {
                var (count, sum) = await done.Task.WaitAsync(Patience, ct).ConfigureAwait(false);
                return new BenchRun(Stopwatch.GetElapsedTime(started).TotalSeconds, count, sum);
            }
            finally
            {
                _client.Stop(driver);
            }
        }

        public async ValueTask DisposeAsync() => await Task.WhenAll(_client.Terminate(), _server.Terminate()).WaitAsync(Patience);
    }

    /// <summary>Answers a number with itself, and a block of bytes with its length.</summary>
    private sealed class Responder : ReceiveActor
    {
        public Responder()
        {
            Receive<long>(x => Sender.Tell(x));
            Receive<byte[]>(bytes => Sender.Tell((long)bytes.Length));
        }
    }

    /// <summary>Keeps <c>window</c> requests outstanding until <c>total</c> answers have arrived, and hands back their sum.</summary>
    private sealed class Driver : ReceiveActor
    {
        public Driver(IActorRef responder, int total, int window, byte[]? payload, TaskCompletionSource<(long Count, long Sum)> done)
        {
            long sent = 0, received = 0, sum = 0;
            void Send()
            {
                responder.Tell(payload is null ? (object)sent : payload);
                sent++;
            }
            Receive<long>(answer =>
            {
                sum += answer;
                if (++received == total) done.TrySetResult((received, sum));
                else if (sent < total) Send();
            });
            for (var i = 0; i < window && sent < total; i++) Send();
        }
    }
}

/// <summary>How much each scenario of <see cref="TlsBenchmark"/> does: the command's sizes, or smaller ones for a spec.</summary>
/// <param name="LatencyRequests">Requests with one outstanding.</param>
/// <param name="ThroughputRequests">Requests with 64 outstanding.</param>
/// <param name="BulkMessages">64 KiB messages with 16 outstanding.</param>
internal sealed record TlsBenchSizes(int LatencyRequests, int ThroughputRequests, int BulkMessages)
{
    /// <summary>The command's sizes.</summary>
    public static TlsBenchSizes Default { get; } = new(LatencyRequests: 10_000, ThroughputRequests: 200_000, BulkMessages: 4_000);
}
