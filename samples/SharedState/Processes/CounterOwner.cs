using System.Diagnostics;
using Actors.Coordination;
using Akka.Actor;
using SharedState.Counter;

namespace SharedState.Processes;

/// <summary>
/// The process that owns the value, as Python's <c>Manager</c> is a server process behind proxies:
/// an actor system on 127.0.0.1 (a free port) with the <see cref="CounterActor"/> at
/// <c>/user/counter</c> and a <see cref="BarrierActor"/> at <c>/user/barrier</c> that its client
/// processes meet at before and after each round. Disposing kills the clients it started and stops
/// the actor system.
/// </summary>
public sealed class CounterOwner : IAsyncDisposable
{
    public const string CounterName = "counter";
    public const string BarrierName = "barrier";

    private readonly SharedStateSettings _settings;
    private readonly List<ClientProcess> _clients = [];
    private readonly int _slots;

    private CounterOwner(SharedStateSettings settings, ActorSystem system, int clients)
    {
        _settings = settings;
        _slots = clients;
        System = system;
        Counter = system.ActorOf(CounterActor.Props(clients), CounterName);
        Barrier = system.ActorOf(BarrierActor.Props(clients + 1), BarrierName);
        Address = ((ExtendedActorSystem)system).Provider.DefaultAddress.ToString();
    }

    public ActorSystem System { get; }

    public IActorRef Counter { get; }

    public IActorRef Barrier { get; }

    /// <summary>Where clients reach this process, e.g. <c>akka.tcp://shared-state@127.0.0.1:41234</c>.</summary>
    public string Address { get; }

    public IReadOnlyList<ClientProcess> Clients => _clients;

    /// <summary>Starts the owning actor system for <paramref name="clients"/> client processes.</summary>
    public static CounterOwner Start(SharedStateSettings settings, int clients) =>
        new(settings, ActorSystem.Create("shared-state", settings.RemoteNode), clients);

    /// <summary>Starts the client processes, one per slot, each running <paramref name="rounds"/> rounds of <paramref name="increments"/>.</summary>
    public void StartClients(int increments, int rounds)
    {
        for (var slot = 0; slot < _slots; slot++) _clients.Add(ClientProcess.Start(Address, slot, increments, rounds));
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
