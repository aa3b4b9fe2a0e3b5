using Actors.Protocol;
using Akka.Actor;
using Akka.Event;

namespace Actors.Processes;

/// <summary>
/// Processes mode's membership for the worker processes a pool starts itself: starts them, deploys
/// workers into each one that reports ready, and notices at once (through the process handle, not
/// a failure detector) when one dies: the manager is told which workers were lost and which chunks
/// the process announced, and a replacement starts.
/// </summary>
internal sealed class WorkerProcesses : ReceiveActor, IWithTimers
{
    private sealed record StartTimedOut(int Pid) : INoSerializationVerificationNeeded;

    private readonly ProcessSettings _settings;
    private readonly WorkerSpec _worker;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<int, WorkerProcess> _hosts = new();
    private readonly Queue<DateTime> _replacements = new();
    private bool _stopping;

    public WorkerProcesses(ProcessSettings settings, WorkerSpec worker)
    {
        _settings = settings;
        _worker = worker;
        Receive<WorkerHostReady>(HandleReady);
        Receive<HostExited>(HandleExited);
        Receive<StartTimedOut>(timedOut =>
        {
            if (!_hosts.TryGetValue(timedOut.Pid, out var host) || host.Ready) return;
            _log.Warning("worker process {0} did not report ready within {1}; killing it", timedOut.Pid, _settings.StartTimeout);
            host.Kill(); // its exit starts the replacement
        });
        Receive<StopWorkers>(_ =>
        {
            _stopping = true;
            var stopping = _hosts.Values.Select(host => host.StopAsync(_settings.OrderlyStopTimeout)).ToArray();
            Task.WhenAll(stopping).PipeTo(Sender, success: () => WorkersStopped.Instance);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ProcessSettings settings, WorkerSpec worker) =>
        Akka.Actor.Props.Create(() => new WorkerProcesses(settings, worker));

    /// <summary>The workers deployed into the processes are this actor's children.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => _worker.Strategy;

    protected override void PreStart()
    {
        WorkerHosts.RequireRemoting(Context.System);
        for (var i = 0; i < _settings.EffectiveCount; i++) StartHost();
    }

    protected override void PostStop()
    {
        _stopping = true;
        foreach (var host in _hosts.Values) _ = host.StopAsync(_settings.OrderlyStopTimeout);
        _hosts.Clear();
    }

    private void StartHost()
    {
        var arguments = new WorkerHostArguments
        {
            Parent = Self.Path.ToStringWithAddress(((ExtendedActorSystem)Context.System).Provider.DefaultAddress),
            ParentPid = Environment.ProcessId,
            Assemblies = WorkerHosts.JobAssemblies(_settings),
        };
        WorkerProcess host;
        try
        {
            host = WorkerProcess.Start(WorkerHostCommand.StartInfo(_settings.HostCommand, arguments), Self, _log);
        }
        catch (InvalidOperationException e)
        {
            _log.Error("{0}", e.Message);
            GiveUpIfNoneLeft(e.Message);
            return;
        }
        _hosts[host.Pid] = host;
        Timers.StartSingleTimer(("start", host.Pid), new StartTimedOut(host.Pid), _settings.StartTimeout);
        _log.Info("started worker process {0}", host.Pid);
        CountHosts();
    }

    private void HandleReady(WorkerHostReady ready)
    {
        if (!_hosts.TryGetValue(ready.Pid, out var host) || host.Ready || !Address.TryParse(ready.Address, out var address)) return;
        Timers.Cancel(("start", ready.Pid));
        host.Ready = true;
        host.Workers.AddRange(WorkerHosts.Deploy(Context, _worker, address, ready.Pid.ToString(), _settings.WorkersPerProcess));
        _log.Info("worker process {0} ready at {1}", ready.Pid, ready.Address);
        Context.Parent.Tell(new WorkersAdded(host.Workers.ToArray()));
    }

    private void HandleExited(HostExited exited)
    {
        if (!_hosts.Remove(exited.Pid, out var host)) return;
        Timers.Cancel(("start", exited.Pid));
        foreach (var worker in host.Workers) Context.Stop(worker);
        host.Dispose();
        var reason = $"worker process {exited.Pid} exited with code {exited.ExitCode}";
        if (!_stopping) _log.Warning("{0}; its work goes to the other workers and a replacement starts", reason);
        Context.Parent.Tell(new WorkersLost(host.Workers, reason, exited.Announced));
        CountHosts();
        if (!_stopping) Replace(reason);
    }

    private void Replace(string reason)
    {
        var now = DateTime.UtcNow;
        while (_replacements.TryPeek(out var at) && now - at > TimeSpan.FromMinutes(1)) _replacements.Dequeue();
        if (_replacements.Count >= _settings.MaxRestartsPerMinute)
        {
            var why = $"{reason}; not replaced: {_replacements.Count} replacements in the last minute (actors.pool.processes.max-restarts-per-minute)";
            _log.Error(why);
            GiveUpIfNoneLeft(why);
            return;
        }
        _replacements.Enqueue(now);
        StartHost();
    }

    private void GiveUpIfNoneLeft(string reason)
    {
        if (_hosts.Count == 0) Context.Parent.Tell(new NoWorkersLeft(reason));
    }

    private void CountHosts() => Context.Parent.Tell(new HostsCounted(_hosts.Count));
}
