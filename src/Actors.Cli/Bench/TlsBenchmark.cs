using System.Diagnostics;
using Actors.Configuration;
using Actors.Security;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.Cli.Bench;

/// <summary>
/// What TLS costs on the wire: two actor systems in this process over loopback, with the remoting
/// settings of processes mode, once over plain <c>akka.tcp</c> and once over mutual TLS with the
/// pool's pinned ephemeral certificate (ECDSA P-256). Plain and TLS alternate round by round (the
/// machines are shared); each row is the median of its rounds:
/// <list type="bullet">
/// <item>connecting: fresh systems, from the first Identify to its answer (TCP, TLS and Akka handshakes);</item>
/// <item>request/response with one request outstanding (latency) and with 64 (small-message throughput);</item>
/// <item>bulk: 64 KiB messages one way, 16 outstanding, each acknowledged (items are bytes).</item>
/// </list>
/// </summary>
public static class TlsBenchmark
{
    /// <summary>None: a ratio to one row would compare unlike scenarios; <see cref="DescribeCost"/> pairs each TLS row with its plain row.</summary>
    public const string Baseline = "";

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

    /// <summary>Every scenario, in report order; each has a plain row and a TLS row.</summary>
    public static IReadOnlyList<string> ScenarioNames { get; } = [Connect, Latency, Throughput, Bulk];

    private const string ResponderName = "responder";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static Task<IReadOnlyList<BenchResult>> RunAsync(CancellationToken ct) => RunAsync(TlsBenchSizes.Default, ct);

    /// <summary>Every row at <paramref name="sizes"/>; every exchange's replies are checked (a wrong one throws).</summary>
    internal static async Task<IReadOnlyList<BenchResult>> RunAsync(TlsBenchSizes sizes, CancellationToken ct)
    {
        (string Name, Func<Pair, CancellationToken, Task<long>> Run)[] scenarios =
        [
            (Latency, (pair, ct) => pair.ExchangeAsync(sizes.LatencyRequests, window: 1, payload: null, ct)),
            (Throughput, (pair, ct) => pair.ExchangeAsync(sizes.ThroughputRequests, window: 64, payload: null, ct)),
            (Bulk, (pair, ct) => pair.ExchangeAsync(sizes.BulkMessages, window: 16, payload: new byte[BulkSize], ct)),
        ];
        // Processes mode runs untrusted-mode, which refuses a selection by path from the wire unless the path is trusted.
        var config = ActorsConfig.Load(new ConfigOptions
        {
            Mode = "processes",
            Overrides = ["akka.loglevel = ERROR", $"akka.remote.trusted-selection-paths = [\"/user/{ResponderName}\"]"],
        });
        var tls = TlsPolicy.Ephemeral("bench");
        var timings = new Dictionary<string, List<double>>();
        var items = new Dictionary<string, long>();
        void Record(string name, long count, double seconds)
        {
            if (!timings.TryGetValue(name, out var list)) timings[name] = list = [];
            list.Add(seconds);
            items[name] = count;
        }

        await using var plainPair = await Pair.StartAsync(config, null, ct);
        await using var tlsPair = await Pair.StartAsync(config, tls, ct);
        foreach (var (_, run) in scenarios) // warm: JIT, buffers, and both connections up
        {
            await run(plainPair, ct);
            await run(tlsPair, ct);
        }
        for (var round = 0; round < sizes.Rounds; round++)
        {
            foreach (var (label, policy) in new[] { ("plain", (TlsPolicy?)null), ("TLS", tls) })
            {
                await using var fresh = await Pair.StartAsync(config, policy, ct);
                Record($"{Connect}, {label}", 1, fresh.ConnectSeconds);
            }
            foreach (var (name, run) in scenarios)
            {
                foreach (var (label, pair) in new[] { ("plain", plainPair), ("TLS", tlsPair) })
                {
                    var started = Stopwatch.GetTimestamp();
                    var count = await run(pair, ct);
                    Record($"{name}, {label}", count, Stopwatch.GetElapsedTime(started).TotalSeconds);
                }
            }
        }
        return [.. timings.Select(entry => new BenchResult(entry.Key, items[entry.Key], Median(entry.Value)))];
    }

    /// <summary>One line per scenario: TLS throughput as a fraction of plain.</summary>
    public static IEnumerable<string> DescribeCost(IReadOnlyList<BenchResult> results)
    {
        foreach (var name in ScenarioNames)
        {
            var plain = results.FirstOrDefault(r => r.Name == $"{name}, plain");
            var tls = results.FirstOrDefault(r => r.Name == $"{name}, TLS");
            if (plain is null || tls is null || plain.Seconds <= 0) continue;
            yield return $"{name}: TLS takes {tls.Seconds / plain.Seconds:0.00}x the time of plain TCP";
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
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
        /// Sends <paramref name="total"/> requests, <paramref name="window"/> at a time, and checks
        /// the answers' sum (the numbers 0 … total-1 echoed, or each block's length); returns the
        /// items moved (requests, or bytes).
        /// </summary>
        /// <exception cref="InvalidOperationException">The answers do not add up.</exception>
        public async Task<long> ExchangeAsync(int total, int window, byte[]? payload, CancellationToken ct)
        {
            var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var driver = _client.ActorOf(Props.Create(() => new Driver(_responder, total, window, payload, done)));
            long sum;
            try
            {
                sum = await done.Task.WaitAsync(Patience, ct);
            }
            finally
            {
                _client.Stop(driver);
            }
            var expected = payload is null ? BenchExpectation.Range(total).Sum : (long)total * payload.Length;
            if (sum != expected) throw new InvalidOperationException($"{total} answers summed to {sum}, expected {expected}.");
            return payload is null ? total : expected;
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
        public Driver(IActorRef responder, int total, int window, byte[]? payload, TaskCompletionSource<long> done)
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
                if (++received == total) done.TrySetResult(sum);
                else if (sent < total) Send();
            });
            for (var i = 0; i < window && sent < total; i++) Send();
        }
    }
}

/// <summary>How much each scenario of <see cref="TlsBenchmark"/> does: the command's sizes, or smaller ones for a spec.</summary>
/// <param name="Rounds">Measured rounds (a fresh pair of systems per round for the connect rows).</param>
/// <param name="LatencyRequests">Requests with one outstanding.</param>
/// <param name="ThroughputRequests">Requests with 64 outstanding.</param>
/// <param name="BulkMessages">64 KiB messages with 16 outstanding.</param>
internal sealed record TlsBenchSizes(int Rounds, int LatencyRequests, int ThroughputRequests, int BulkMessages)
{
    /// <summary>The command's sizes.</summary>
    public static TlsBenchSizes Default { get; } = new(Rounds: 5, LatencyRequests: 10_000, ThroughputRequests: 200_000, BulkMessages: 4_000);
}
