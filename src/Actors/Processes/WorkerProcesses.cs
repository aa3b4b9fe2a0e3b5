using System.Diagnostics;
using Actors.Pool;
using Akka.Actor;
using Akka.Event;

namespace Actors.Processes;

/// <summary>
/// Starts the pool's worker OS processes, deploys workers into each one that reports ready, and
/// notices at once (through the process handle) when one dies: the manager is told which workers
/// were lost, and a replacement process is started. Remote DeathWatch covers nodes it did not start.
/// </summary>
internal sealed class WorkerProcesses : ReceiveActor, IWithTimers
{
    private sealed class WorkerProcess(Process process)
    {
        public Process Process { get; } = process;
        public List<IActorRef> Workers { get; } = new();
        public bool Ready { get; set; }

        /// <summary>The chunk the process last said it started (written by the output reader thread).</summary>
        public long LastStarted;
    }

    private sealed record ProcessExited(int Pid, int ExitCode, long? RunningChunk) : INoSerializationVerificationNeeded;

    private sealed record StartTimedOut(int Pid) : INoSerializationVerificationNeeded;

    private readonly ProcessSettings _settings;
    private readonly IActorRef _manager;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<int, WorkerProcess> _processes = new();
    private readonly Dictionary<IActorRef, int> _pidOfWorker = new();
    private readonly HashSet<IActorRef> _nodeWorkers = new();
    private readonly Queue<DateTime> _restarts = new();
    private bool _stopping;

    public WorkerProcesses(ProcessSettings settings, IActorRef manager)
    {
        _settings = settings;
        _manager = manager;
        Receive<WorkerHostReady>(HandleReady);
        Receive<ProcessExited>(HandleExited);
        Receive<StartTimedOut>(HandleStartTimedOut);
        Receive<Terminated>(HandleTerminated);
        Receive<StopProcesses>(HandleStopProcesses);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ProcessSettings settings, IActorRef manager) =>
        Akka.Actor.Props.Create(() => new WorkerProcesses(settings, manager));

    protected override SupervisorStrategy SupervisorStrategy() => Worker.Strategy();

    protected override void PreStart()
    {
        if (Context.System is not ExtendedActorSystem { Provider: Akka.Remote.RemoteActorRefProvider })
            throw new InvalidOperationException(
                "actors.pool.mode = processes needs remoting: set akka.actor.provider = remote (config/processes.hocon does).");
        foreach (var node in _settings.Nodes)
        {
            var workers = Deploy(Address.Parse(node), $"node-{_nodeWorkers.Count}");
            foreach (var worker in workers) _nodeWorkers.Add(worker);
            _manager.Tell(new WorkersAdded(workers));
        }
        if (_settings.Spawn)
        {
            for (var i = 0; i < _settings.EffectiveCount; i++) StartProcess();
        }
    }

    private IActorRef[] Deploy(Address address, string prefix)
    {
        var workers = new IActorRef[_settings.WorkersPerProcess];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Context.ActorOf(Worker.Props().WithDeploy(new Deploy(new RemoteScope(address))), $"worker-{prefix}-{i}");
            Context.Watch(workers[i]);
        }
        return workers;
    }

    protected override void PostStop()
    {
        _stopping = true;
        foreach (var entry in _processes.Values) _ = StopAsync(entry.Process, OrderlyStopTimeout);
        _processes.Clear();
    }

    /// <summary>How long a worker process gets to stop by itself before it is killed.</summary>
    internal static readonly TimeSpan OrderlyStopTimeout = TimeSpan.FromSeconds(5);

    private void HandleStopProcesses(StopProcesses stop)
    {
        _stopping = true;
        var all = _processes.Values.Select(entry => StopAsync(entry.Process, OrderlyStopTimeout)).ToArray();
        _processes.Clear();
        ReportCount();
        Task.WhenAll(all).PipeTo(Sender, success: () => StopProcesses.Done.Instance);
    }

    /// <summary>Asks a worker process to stop (closing its standard input), and kills it if it has not within <paramref name="timeout"/>.</summary>
    private static async Task StopAsync(Process process, TimeSpan timeout)
    {
        try
        {
            process.StandardInput.Close();
            using var deadline = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            Stop(process);
        }
    }

    private void StartProcess()
    {
        var parent = Self.Path.ToStringWithAddress(((ExtendedActorSystem)Context.System).Provider.DefaultAddress);
        var start = WorkerHostCommand.Resolve(_settings.HostCommand);
        start.ArgumentList.Add("node");
        start.ArgumentList.Add("--role");
        start.ArgumentList.Add("worker");
        start.ArgumentList.Add("--parent");
        start.ArgumentList.Add(parent);
        start.ArgumentList.Add("--parent-pid");
        start.ArgumentList.Add(Environment.ProcessId.ToString());
        foreach (var assembly in JobAssemblies())
        {
            start.ArgumentList.Add("--assembly");
            start.ArgumentList.Add(assembly);
        }
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var self = Self;
        var log = _log;
        var entry = new WorkerProcess(process);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not { Length: > 0 } text) return;
            if (StartedChunk.TryParse(text, out var chunk)) Volatile.Write(ref entry.LastStarted, chunk);
            else log.Debug("worker: {0}", text);
        };
        process.ErrorDataReceived += (_, line) =>
        {
            // A dying process's stack trace is for debugging; its first line says what happened.
            if (line.Data is not { Length: > 0 } text) return;
            if (text.TrimStart().StartsWith("at ", StringComparison.Ordinal) || text.StartsWith("[warning]", StringComparison.Ordinal)
                || text.StartsWith("[info]", StringComparison.Ordinal) || text.StartsWith("[debug]", StringComparison.Ordinal))
                log.Debug("worker process {0}: {1}", process.Id, text);
            else log.Warning("worker process {0}: {1}", process.Id, text);
        };
        process.Exited += (_, _) =>
        {
            process.WaitForExit(); // the output is read to its end: the last chunk it started is known
            var started = Volatile.Read(ref entry.LastStarted);
            self.Tell(new ProcessExited(process.Id, SafeExitCode(process), started > 0 ? started : null));
        };
        if (!process.Start()) throw new InvalidOperationException($"could not start the worker host: {start.FileName}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes[process.Id] = entry;
        Timers.StartSingleTimer(("start", process.Id), new StartTimedOut(process.Id), _settings.StartTimeout);
        _log.Info("started worker process {0}", process.Id);
        ReportCount();
    }

    private IEnumerable<string> JobAssemblies()
    {
        var paths = _settings.Assemblies.Select(Path.GetFullPath).ToList();
        // As Python's spawn re-imports the main module: the application's own jobs resolve in the workers.
        var entry = System.Reflection.Assembly.GetEntryAssembly();
        if (entry is { Location.Length: > 0 } && entry.GetName().Name is not ("actors" or "testhost") && !paths.Contains(entry.Location))
            paths.Add(entry.Location);
        return paths;
    }

    private void HandleReady(WorkerHostReady ready)
    {
        if (!_processes.TryGetValue(ready.Pid, out var entry) || entry.Ready) return;
        Timers.Cancel(("start", ready.Pid));
        entry.Ready = true;
        foreach (var worker in Deploy(Address.Parse(ready.Address), ready.Pid.ToString()))
        {
            entry.Workers.Add(worker);
            _pidOfWorker[worker] = ready.Pid;
        }
        _log.Info("worker process {0} ready at {1}", ready.Pid, ready.Address);
        _manager.Tell(new WorkersAdded(entry.Workers.ToArray()));
    }

    private void HandleExited(ProcessExited exited)
    {
        if (!_processes.Remove(exited.Pid, out var entry)) return;
        Timers.Cancel(("start", exited.Pid));
        foreach (var worker in entry.Workers)
        {
            _pidOfWorker.Remove(worker);
            Context.Unwatch(worker);
        }
        entry.Process.Dispose();
        if (!_stopping) _log.Warning("worker process {0} exited with code {1}; its work goes to the other workers and a replacement starts", exited.Pid, exited.ExitCode);
        _manager.Tell(new WorkerLost(entry.Workers.ToArray(), $"worker process {exited.Pid} exited with code {exited.ExitCode}", exited.RunningChunk));
        ReportCount();
        if (!_stopping) Replace(exited.Pid);
    }

    private void HandleStartTimedOut(StartTimedOut timedOut)
    {
        if (!_processes.TryGetValue(timedOut.Pid, out var entry) || entry.Ready) return;
        _log.Warning("worker process {0} did not report ready within {1}; killing it", timedOut.Pid, _settings.StartTimeout);
        Stop(entry.Process); // its Exited event starts the replacement
    }

    private void HandleTerminated(Terminated terminated)
    {
        // DeathWatch: the worker's node is unreachable, or the worker stopped. A process this actor
        // started is handled through its handle; this covers the rest.
        if (_stopping) return;
        if (_pidOfWorker.Remove(terminated.ActorRef, out var pid))
        {
            if (_processes.TryGetValue(pid, out var entry)) entry.Workers.Remove(terminated.ActorRef);
        }
        else if (!_nodeWorkers.Remove(terminated.ActorRef)) return;
        _manager.Tell(new WorkerLost([terminated.ActorRef], $"worker {terminated.ActorRef.Path} terminated"));
    }

    private void Replace(int deadPid)
    {
        var now = DateTime.UtcNow;
        while (_restarts.TryPeek(out var at) && now - at > TimeSpan.FromMinutes(1)) _restarts.Dequeue();
        if (_restarts.Count >= _settings.MaxRestartsPerMinute)
        {
            var reason = $"worker process {deadPid} not replaced: {_restarts.Count} replacements in the last minute (actors.pool.processes.max-restarts-per-minute)";
            _log.Error(reason);
            if (_processes.Count == 0 && _nodeWorkers.Count == 0) _manager.Tell(new NoWorkersLeft(reason));
            return;
        }
        _restarts.Enqueue(now);
        StartProcess();
    }

    private void ReportCount() => _manager.Tell(new WorkerProcessCount(_processes.Count));

    private static int SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}
