using System.Diagnostics;
using Actors.Coordination;
using Actors.Security;
using Akka.Actor;
using Akka.Configuration;
using SharedState.Counter;

namespace SharedState.Processes;

/// <summary>
/// The process that owns the value, as Python's <c>Manager</c> is a server process behind proxies:
/// an actor system on 127.0.0.1 (a free port) with the <see cref="CounterActor"/> at
/// <c>/user/counter</c> and a <see cref="BarrierActor"/> at <c>/user/barrier</c> that its client
/// processes meet at before and after each round. Only those processes can reach it: its wire runs
/// mutual TLS pinned to a certificate it makes when it starts and hands to each client it starts
/// (as a <c>Manager</c>'s authkey, but a process without it cannot even connect), and in untrusted
/// mode, so that a client can select nothing but these two actors and deploy or stop nothing
/// (<see cref="KillResistantGuardian"/> covers the one message untrusted mode lets through).
/// Disposing kills the clients it started and stops the actor system.
/// </summary>
public sealed class CounterOwner : IAsyncDisposable
{
    public const string SystemName = "shared-state";
    public const string CounterName = "counter";
    public const string BarrierName = "barrier";

    /// <summary>
    /// The owner's own settings over the row's: the only actor paths a remote process may select
    /// (untrusted mode refuses every other), and a guardian that resumes the counter or the barrier
    /// when they are sent a <see cref="Kill"/>, which untrusted mode lets through.
    /// </summary>
    private static readonly Config OwnerConfig = ConfigurationFactory
        .ParseString($"akka.remote.trusted-selection-paths = [\"/user/{CounterName}\", \"/user/{BarrierName}\"]")
        .WithFallback(KillResistantGuardian.Hocon);

    private readonly SharedStateSettings _settings;
    private readonly TlsPolicy _credentials;
    private readonly List<ClientProcess> _clients = [];
    private readonly int _slots;

    private CounterOwner(SharedStateSettings settings, TlsPolicy credentials, ActorSystem system, int clients)
    {
        _settings = settings;
        _credentials = credentials;
        _slots = clients;
        System = system;
        Counter = system.ActorOf(CounterActor.Props(clients), CounterName);
        Barrier = system.ActorOf(BarrierActor.Props(clients + 1), BarrierName);
        Address = ((ExtendedActorSystem)system).Provider.DefaultAddress.ToString();
    }

    public ActorSystem System { get; }

    public IActorRef Counter { get; }

    public IActorRef Barrier { get; }

    /// <summary>Where clients reach this process, e.g. <c>akka.ssl.tcp://shared-state@127.0.0.1:41234</c>.</summary>
    public string Address { get; }

    public IReadOnlyList<ClientProcess> Clients => _clients;

    /// <summary>Starts the owning actor system for <paramref name="clients"/> client processes, with a fresh certificate for them.</summary>
    public static CounterOwner Start(SharedStateSettings settings, int clients)
    {
        // Made here, in memory: this process and the clients it starts are the only holders.
        var credentials = TlsPolicy.Ephemeral(SystemName);
        var system = credentials.CreateActorSystem(SystemName, OwnerConfig.WithFallback(settings.RemoteNode));
        return new(settings, credentials, system, clients);
    }

    /// <summary>
    /// Starts the client processes, one per slot, each running <paramref name="rounds"/> rounds of
    /// <paramref name="increments"/>, and hands each the owner's credentials on its standard input.
    /// </summary>
    public async Task StartClientsAsync(int increments, int rounds, CancellationToken ct)
    {
        var handOffTimeout = WireSecuritySettings.Create(_settings.RemoteNode).HandOffTimeout;
        for (var slot = 0; slot < _slots; slot++)
            _clients.Add(await ClientProcess.StartAsync(Address, _credentials, slot, increments, rounds, handOffTimeout, ct));
    }

    /// <summary>
    /// One round, timed from the owner's side: meets the clients at the barrier (they start
    /// incrementing together), then meets them again once each has had its increments confirmed.
    /// </summary>
    public async Task<TimeSpan> RunRoundAsync(bool first, CancellationToken ct)
    {
        await MeetClientsAsync(first ? _settings.ClientStartTimeout : _settings.ClientRunTimeout, ct);
        var started = Stopwatch.GetTimestamp();
        await MeetClientsAsync(_settings.ClientRunTimeout, ct);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Arrives at the barrier; a client that fails meanwhile ends the wait at once, with what it printed.</summary>
    private async Task MeetClientsAsync(TimeSpan timeout, CancellationToken ct)
    {
        var meeting = Barrier.Ask<BarrierPassed>(ArriveAtBarrier.Instance, timeout, ct);
        var failure = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var client in _clients)
        {
            _ = client.Exited.ContinueWith(
                exited =>
                {
                    if (exited.Result != 0) failure.TrySetException(new InvalidOperationException($"client process {client.Pid} exited with code {exited.Result}:\n{client.Output}"));
                },
                CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
        if (await Task.WhenAny(meeting, failure.Task) == failure.Task) await failure.Task;
        await meeting;
    }

    /// <summary>Waits for every client to exit; a client that failed is reported with what it printed.</summary>
    public async Task WaitForClientsAsync(CancellationToken ct)
    {
        foreach (var client in _clients)
        {
            var exit = await client.WaitForExitAsync(_settings.ClientRunTimeout, ct);
            if (exit != 0) throw new InvalidOperationException($"client process {client.Pid} exited with code {exit}:\n{client.Output}");
        }
    }

    /// <summary>The counter as it is now.</summary>
    public Task<CountIs> GetCountAsync(CancellationToken ct) => Counter.Ask<CountIs>(GetCount.Instance, _settings.AskTimeout, ct);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await System.Terminate();
    }
}
