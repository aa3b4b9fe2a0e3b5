using System.Diagnostics;
using Actors.Configuration;
using Actors.Pool;
using Actors.Processes;
using Actors.Protocol;
using Actors.Security;
using Akka.Actor;

namespace Actors.Cli.Bench;

/// <summary>
/// The floor of the engine the pool runs on: a bare Akka.Remote request/response exchange over
/// TLS, as a competent user writes it, moving the bytes a map moves. This process and
/// <c>workers</c> child processes (<see cref="RemoteFloorHost"/>: one squaring actor each), the
/// pool's transport settings (<c>config/processes.hocon</c>: frame size, buffers, untrusted mode)
/// and its TLS (an ephemeral pinned certificate handed over on standard input); an actor here
/// deals the inputs out in chunks of the pool's automatic size, each child holding at most the
/// pool's window of chunks, the next chunk sent to a child as one of its answers comes back.
/// No task table, no retries, no manager between caller and worker.
/// </summary>
internal sealed class RemoteFloor : IAsyncDisposable
{
    /// <summary>Both ends' actor system name.</summary>
    public const string SystemName = "remote-floor";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ActorSystem _system;
    private readonly List<Process> _children;
    private readonly IActorRef _dealer;

    private readonly PoolSettings _pool;

    private RemoteFloor(ActorSystem system, List<Process> children, IActorRef dealer, PoolSettings pool)
    {
        _system = system;
        _children = children;
        _dealer = dealer;
        _pool = pool;
    }

    /// <summary>Chunks in flight per child at most: the pool's <c>window-per-worker</c>.</summary>
    public int Window => _pool.WindowPerWorker;

    /// <summary>Inputs per chunk of a map of <paramref name="count"/> inputs: the pool's automatic size, by the pool's own rule.</summary>
    public int ChunkSizeFor(int count) => ChunkSizing.ChunkSize(null, _pool.ChunkSize, _pool.MaxAutoChunkSize, count, _children.Count);

    /// <summary>The transport configuration of both ends: the pool's processes preset, the floor's serializer bound, <paramref name="extra"/> on top.</summary>
    public static Akka.Configuration.Config Config(params string[] extra) => ActorsConfig.Load(new ConfigOptions
    {
        Mode = "processes",
        Overrides =
        [
            .. extra,
            "akka.loglevel = ERROR",
            $"akka.actor.serializers.remote-floor = \"{typeof(FloorChunkSerializer).AssemblyQualifiedName}\"",
            $"akka.actor.serialization-bindings {{ \"{typeof(FloorChunk).FullName}, {typeof(FloorChunk).Assembly.GetName().Name}\" = remote-floor }}",
        ],
    });

    /// <summary>Starts <paramref name="workers"/> child processes and connects to each.</summary>
    /// <param name="workers">Child processes, as the pool's worker processes.</param>
    /// <param name="ct">Stops the start.</param>
    public static async Task<RemoteFloor> StartAsync(int workers, CancellationToken ct)
    {
        var policy = TlsPolicy.Ephemeral(SystemName);
        var config = Config();
        var pool = PoolSettings.Create(config.GetConfig(PoolSettings.SectionPath));
        var system = policy.CreateActorSystem(SystemName, config);
        var children = new List<Process>();
        try
        {
            var addresses = new List<Task<string>>();
            for (var i = 0; i < workers; i++)
            {
                var start = WorkerHostCommand.Run(typeof(RemoteFloor).Assembly.Location);
                start.ArgumentList.Add(RemoteFloorHost.CommandName);
                start.UseShellExecute = false;
                start.RedirectStandardInput = start.RedirectStandardOutput = true;
                var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
                children.Add(child);
                var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                _ = WorkerHostOutput.ReadLinesAsync(child.StandardOutput, line =>
                {
                    if (WorkerHostOutput.TryParseListening(line, out var address)) listening.TrySetResult(address);
                });
                await CredentialChannel.WriteAsync(child.StandardInput, policy, ct).ConfigureAwait(false);
                addresses.Add(listening.Task.WaitAsync(Patience, ct));
            }
            var squares = new List<IActorRef>();
            foreach (var address in addresses)
                squares.Add(await system.ActorSelection($"{await address.ConfigureAwait(false)}/user/{RemoteFloorHost.ActorName}").ResolveOne(Patience, ct).ConfigureAwait(false));
            var dealer = system.ActorOf(Props.Create(() => new Dealer(squares, pool.WindowPerWorker)), "dealer");
            return new RemoteFloor(system, children, dealer, pool);
        }
        catch
        {
            foreach (var child in children) Stop(child);
            await system.Terminate().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Squares <paramref name="inputs"/> into <paramref name="outputs"/> through the children, in chunks of <see cref="ChunkSizeFor"/>; the seconds from the first send to the last answer copied.</summary>
    public async Task<double> SquareAsync(long[] inputs, long[] outputs)
    {
        var chunkSize = ChunkSizeFor(inputs.Length);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = Stopwatch.GetTimestamp();
        _dealer.Tell(new Deal(inputs, outputs, chunkSize, done));
        await done.Task.WaitAsync(Patience).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var child in _children) Stop(child);
        await _system.Terminate().ConfigureAwait(false);
    }

    private static void Stop(Process child)
    {
        try
        {
            child.StandardInput.Close(); // its cue to stop
            if (!child.WaitForExit(TimeSpan.FromSeconds(5))) child.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // Gone already.
        }
        child.Dispose();
    }

    /// <summary>One run: square these inputs into these outputs, then complete <paramref name="Done"/>.</summary>
    private sealed record Deal(long[] Inputs, long[] Outputs, int ChunkSize, TaskCompletionSource Done) : INoSerializationVerificationNeeded;

    /// <summary>Deals a run's chunks out to the squaring actors, up to a window each, and copies their answers back.</summary>
    private sealed class Dealer : ReceiveActor
    {
        private readonly IReadOnlyList<IActorRef> _squares;
        private Deal? _deal;
        private int _next;
        private int _outstanding;

        public Dealer(IReadOnlyList<IActorRef> squares, int window)
        {
            _squares = squares;
            Receive<Deal>(deal =>
            {
                _deal = deal;
                _next = 0;
                foreach (var square in _squares)
                    for (var i = 0; i < window && SendNext(square); i++) { }
                if (_outstanding == 0) deal.Done.TrySetResult();
            });
            Receive<FloorChunk>(answer =>
            {
                answer.Values.CopyTo(_deal!.Outputs.AsSpan(answer.From));
                _outstanding--;
                SendNext(Sender);
                if (_outstanding == 0) _deal.Done.TrySetResult();
            });
        }

        private bool SendNext(IActorRef square)
        {
            var inputs = _deal!.Inputs;
            if (_next >= inputs.Length) return false;
            var count = Math.Min(_deal.ChunkSize, inputs.Length - _next);
            square.Tell(new FloorChunk(_next, inputs.AsSpan(_next, count).ToArray()));
            _next += count;
            _outstanding++;
            return true;
        }
    }
}
