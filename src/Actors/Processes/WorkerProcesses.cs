using Actors.Configuration;
using Actors.Protocol;
using Actors.Security;
using Akka.Actor;
using Akka.Event;

namespace Actors.Processes;

/// <summary>
/// Processes mode's membership for the worker processes a pool starts itself: starts them, hands
/// each its TLS credentials, lists the workers each one creates once it listens, and notices at
/// once (through the process handle, not a failure detector) when one dies: the manager is told
/// which workers were lost and which chunks the process announced, and a replacement starts. A
/// process whose workers stop answering the failure detector (it is alive but wedged, or
/// unreachable) is killed, which comes to the same. A
/// process that fails to start is reported with its exit code and last error lines, and tried again
/// with back-off; meanwhile, with no worker process ready, the pool says it has no workers.
/// </summary>
internal sealed class WorkerProcesses : ReceiveActor, IWithTimers
{
    private sealed record HostWorkers(int Pid, WorkersListed? Listed, string? Error) : INoSerializationVerificationNeeded;

    private sealed record StartTimedOut(int Pid) : INoSerializationVerificationNeeded;

    private sealed class StartOne : INoSerializationVerificationNeeded
    {
        public static readonly StartOne Instance = new();
    }

    private readonly ProcessSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<int, WorkerProcess> _hosts = new();
    private readonly Queue<DateTime> _replacements = new();
    private readonly TlsPolicy? _credentials;
    private readonly ConfigSources? _sources;
    /// <summary>Start-ups that failed in a row; the next attempt waits the longer.</summary>
    private int _failedStarts;
    /// <summary>Hosts still to be started (a failed or rate-limited start is retried by a timer).</summary>
    private int _wanted;
    /// <summary>Of those, the ones that replace a host that was serving: they spend the restart budget.</summary>
    private int _replacing;
    private bool _stopping;

    public WorkerProcesses(ProcessSettings settings)
    {
        _settings = settings;
        _credentials = WireSecurity.Require(Context.System);
        _sources = ConfigSources.From(Context.System.Settings.Config);
        Receive<StartOne>(_ => StartWanted());
        Receive<HostListening>(listening =>
        {
            if (!_hosts.ContainsKey(listening.Pid)) return;
            var pid = listening.Pid;
            Context.ActorSelection(listening.Address + WorkerHostArguments.WorkersPath)
                .Ask<WorkersListed>(ListWorkers.Instance, _settings.StartTimeout)
                .PipeTo(Self, success: listed => new HostWorkers(pid, listed, null), failure: e => new HostWorkers(pid, null, e.Message));
        });
        Receive<HostWorkers>(HandleWorkers);
        Receive<Terminated>(terminated =>
        {
            if (_stopping || _hosts.Values.FirstOrDefault(host => host.Workers.Contains(terminated.ActorRef)) is not { } host) return;
            _log.Warning("worker {0} of worker process {1} is unreachable; killing the process", terminated.ActorRef.Path, host.Pid);
            host.Kill(); // its exit reports the loss and starts a replacement
        });
        Receive<HostExited>(HandleExited);
        Receive<StartTimedOut>(timedOut =>
        {
            if (!_hosts.TryGetValue(timedOut.Pid, out var host) || host.Ready) return;
            _log.Warning("worker process {0} did not list its workers within {1}; killing it", timedOut.Pid, _settings.StartTimeout);
            host.TimedOut = true;
            host.Kill(); // its exit starts the next attempt
        });
        Receive<RetireWorker>(retire =>
        {
            if (_hosts.Values.FirstOrDefault(host => host.Workers.Contains(retire.Worker)) is not { } host) return;
            // The only way to stop a job that ignores its cancellation; the exit is reported as any
            // other (what the process held runs elsewhere) and a replacement starts.
            _log.Warning("{0}; killing worker process {1}", retire.Reason, host.Pid);
            host.Kill();
        });
        Receive<StopWorkers>(_ =>
        {
            _stopping = true;
            var stopping = _hosts.Values.Select(host => host.StopAsync(_settings.OrderlyStopTimeout)).ToArray();
            Task.WhenAll(stopping).PipeTo(Sender, success: () => WorkersStopped.Instance);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ProcessSettings settings) => Akka.Actor.Props.Create(() => new WorkerProcesses(settings));

    protected override void PreStart()
    {
        WorkerHosts.RequireRemoting(Context.System);
        _wanted = _settings.EffectiveCount;
        StartWanted();
        CountHosts(); // the manager waits for every membership's first word
    }

    protected override void PostStop()
    {
        _stopping = true;
        foreach (var host in _hosts.Values) _ = host.StopAsync(_settings.OrderlyStopTimeout);
        _hosts.Clear();
    }

    private void StartWanted()
    {
        while (_wanted > 0 && !_stopping && !Timers.IsTimerActive(nameof(StartOne)))
        {
            var replacement = _replacing > 0;
            if (replacement && RateLimited() is { } wait)
            {
                BudgetSpent(wait);
                return;
            }
            _wanted--;
            if (replacement)
            {
                _replacing--;
                _replacements.Enqueue(DateTime.UtcNow);
            }
            StartHost();
        }
    }

    /// <summary>
    /// A lost host cannot be replaced now: the restart budget is spent (or is 0, and it never will
    /// be). Said in words, and, with no worker process left serving, told to the manager, so that
    /// callers hear why at once instead of waiting.
    /// </summary>
    private void BudgetSpent(TimeSpan wait)
    {
        var never = _settings.MaxRestartsPerMinute == 0;
        var why = never
            ? "worker processes are not replaced: actors.pool.processes.max-restarts-per-minute = 0"
            : $"the restart budget is spent: {_replacements.Count} worker processes replaced in the last minute "
              + $"(actors.pool.processes.max-restarts-per-minute = {_settings.MaxRestartsPerMinute}); the next starts in {wait.TotalSeconds:0.0} s";
        _log.Warning("{0}", why);
        if (!_hosts.Values.Any(host => host.Ready)) Context.Parent.Tell(new NoWorkersLeft(why));
        if (!never) Timers.StartSingleTimer(nameof(StartOne), StartOne.Instance, wait);
    }

    private void StartHost()
    {
        var arguments = new WorkerHostArguments
        {
            ParentPid = Environment.ProcessId,
            Assemblies = WorkerHosts.JobAssemblies(_settings),
            Workers = _settings.WorkersPerProcess,
            Mode = _sources?.Mode,
            ConfigFile = _sources?.File,
            Overrides = _sources?.Overrides ?? [],
        };
        try
        {
            var host = WorkerProcess.Start(WorkerHostCommand.StartInfo(_settings.HostCommand, arguments), _credentials, Self, _log, _settings.ExitOutputTimeout);
            _hosts[host.Pid] = host;
            Timers.StartSingleTimer(("start", host.Pid), new StartTimedOut(host.Pid), _settings.StartTimeout);
            _log.Info("started worker process {0}", host.Pid);
            CountHosts();
        }
        catch (InvalidOperationException e)
        {
            StartFailed(e.Message, Verdict.Certain);
        }
    }

    private void HandleWorkers(HostWorkers answer)
    {
        if (!_hosts.TryGetValue(answer.Pid, out var host) || host.Ready) return;
        if (answer.Listed is not { Workers.Count: > 0 } listed)
        {
            _log.Warning("worker process {0} did not list its workers: {1}; killing it", answer.Pid, answer.Error ?? "it has none");
            host.TimedOut = true;
            host.Kill();
            return;
        }
        Timers.Cancel(("start", answer.Pid));
        host.Ready = true;
        host.Workers.AddRange(listed.Workers);
        foreach (var worker in listed.Workers) Context.Watch(worker);
        _failedStarts = 0;
        _log.Info("worker process {0} ready with {1} worker(s)", answer.Pid, listed.Workers.Count);
        Context.Parent.Tell(new WorkersAdded(listed.Workers));
    }

    private void HandleExited(HostExited exited)
    {
        if (!_hosts.Remove(exited.Pid, out var host)) return;
        Timers.Cancel(("start", exited.Pid));
        foreach (var worker in host.Workers) Context.Unwatch(worker);
        host.Dispose();
        CountHosts();
        if (_stopping) return;
        _wanted++;
        if (!host.Ready)
        {
            var errors = exited.LastErrors.Length > 0 ? $": {exited.LastErrors}" : "";
            // Killed by a signal (128 + its number) while it started: someone else's doing, no verdict on the host.
            var killed = exited.ExitCode is < 0 or > 128 && !host.TimedOut;
            StartFailed($"worker process {exited.Pid} failed to start: it exited with code {exited.ExitCode}{errors}", killed ? Verdict.None : Verdict.Suspect);
            return;
        }
        var reason = $"worker process {exited.Pid} exited with code {exited.ExitCode}";
        _replacing++;
        _log.Warning("{0}; its work goes to the other workers and a replacement starts", reason);
        Context.Parent.Tell(new WorkersLost(host.Workers, reason, exited.Announced));
        StartWanted();
    }

    /// <summary>What a failed start-up says about the host.</summary>
    private enum Verdict
    {
        /// <summary>Nothing: it was killed from outside while it started. It is just started again.</summary>
        None,

        /// <summary>It exited by itself or never listed its workers: twice in a row is a verdict.</summary>
        Suspect,

        /// <summary>It cannot be launched at all.</summary>
        Certain,
    }

    /// <summary>
    /// A start-up failed: it is tried again, after a back-off that doubles with each suspect
    /// failure in a row. With no worker process ready meanwhile, once the host is certainly or
    /// repeatedly unable to start, the manager is told there are no workers, so that callers hear
    /// why at once instead of waiting.
    /// </summary>
    private void StartFailed(string reason, Verdict verdict)
    {
        _log.Error("{0}", reason);
        if (verdict == Verdict.None)
        {
            StartWanted();
            return;
        }
        _failedStarts++;
        var backOff = Backoff.After(_failedStarts, _settings.RestartBackoff, _settings.StartTimeout);
        if ((verdict == Verdict.Certain || _failedStarts >= 2) && !_hosts.Values.Any(host => host.Ready))
            Context.Parent.Tell(new NoWorkersLeft($"{reason} (trying again in {backOff.TotalSeconds:0.#} s)"));
        Timers.StartSingleTimer(nameof(StartOne), StartOne.Instance, backOff);
    }

    /// <summary>How long until another replacement is allowed by <c>max-restarts-per-minute</c>, or null when it is now (never, for 0).</summary>
    private TimeSpan? RateLimited()
    {
        if (_settings.MaxRestartsPerMinute == 0) return Timeout.InfiniteTimeSpan;
        var now = DateTime.UtcNow;
        while (_replacements.TryPeek(out var at) && now - at > TimeSpan.FromMinutes(1)) _replacements.Dequeue();
        if (_replacements.Count < _settings.MaxRestartsPerMinute) return null;
        return _replacements.Peek() + TimeSpan.FromMinutes(1) - now;
    }

    private void CountHosts() => Context.Parent.Tell(new HostsCounted(_hosts.Count));
}
