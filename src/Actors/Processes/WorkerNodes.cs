using Actors.Protocol;
using Akka.Actor;
using Akka.Event;

namespace Actors.Processes;

/// <summary>
/// Processes mode's membership for worker nodes started by hand (<c>actors.pool.processes.nodes</c>):
/// lists the workers of each listed node and watches them with remote DeathWatch, so that a node
/// that dies or becomes unreachable loses its workers once the failure detector notices. A node
/// that does not answer (not started yet, or gone) is asked again with back-off. The pool did not
/// start these nodes, so it never stops them.
/// </summary>
internal sealed class WorkerNodes : ReceiveActor, IWithTimers
{
    private sealed record NodeWorkers(string Node, WorkersListed? Listed, string? Error) : INoSerializationVerificationNeeded;

    private sealed record AskNode(string Node) : INoSerializationVerificationNeeded;

    private readonly ProcessSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    /// <summary>Each listed node's workers, while it has any.</summary>
    private readonly Dictionary<string, HashSet<IActorRef>> _workers = new();
    /// <summary>Failed askings of each node in a row.</summary>
    private readonly Dictionary<string, int> _failures = new();

    public WorkerNodes(ProcessSettings settings)
    {
        _settings = settings;
        Receive<AskNode>(ask => AskForWorkers(ask.Node));
        Receive<NodeWorkers>(HandleWorkers);
        Receive<Terminated>(terminated =>
        {
            if (_workers.FirstOrDefault(node => node.Value.Remove(terminated.ActorRef)) is not { Key: { } node } entry) return;
            var reason = $"worker {terminated.ActorRef.Path} terminated";
            _log.Warning("{0}; its work goes to the other workers", reason);
            Context.Parent.Tell(new WorkersLost([terminated.ActorRef], reason, []));
            if (entry.Value.Count > 0) return;
            _workers.Remove(node);
            CountHosts();
            if (_workers.Count == 0) Context.Parent.Tell(new NoWorkersLeft($"every listed worker node is gone ({node} last); asking them again"));
            AskForWorkers(node); // it may come back
        });
        Receive<StopWorkers>(_ => Sender.Tell(WorkersStopped.Instance));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ProcessSettings settings) => Akka.Actor.Props.Create(() => new WorkerNodes(settings));

    protected override void PreStart()
    {
        WorkerHosts.RequireRemoting(Context.System);
        foreach (var node in _settings.Nodes) AskForWorkers(node);
        CountHosts(); // the manager waits for every membership's first word
    }

    private void AskForWorkers(string node)
    {
        Context.ActorSelection(node.TrimEnd('/') + WorkerHostArguments.WorkersPath)
            .Ask<WorkersListed>(ListWorkers.Instance, _settings.StartTimeout)
            .PipeTo(Self, success: listed => new NodeWorkers(node, listed, null), failure: e => new NodeWorkers(node, null, e.Message));
    }

    private void HandleWorkers(NodeWorkers answer)
    {
        if (_workers.ContainsKey(answer.Node)) return;
        if (answer.Listed is not { Workers.Count: > 0 } listed)
        {
            var failures = _failures[answer.Node] = _failures.GetValueOrDefault(answer.Node) + 1;
            var wait = Backoff.After(failures, _settings.RestartBackoff, _settings.StartTimeout);
            var reason = $"worker node {answer.Node} did not list its workers: {answer.Error ?? "it has none"}";
            _log.Warning("{0}; asking again in {1:0.#} s", reason, wait.TotalSeconds);
            if (_workers.Count == 0) Context.Parent.Tell(new NoWorkersLeft(reason));
            Timers.StartSingleTimer(answer.Node, new AskNode(answer.Node), wait);
            return;
        }
        _failures.Remove(answer.Node);
        _workers[answer.Node] = listed.Workers.ToHashSet();
        foreach (var worker in listed.Workers) Context.Watch(worker);
        _log.Info("worker node {0} (process {1}) serves with {2} worker(s)", answer.Node, listed.Pid, listed.Workers.Count);
        Context.Parent.Tell(new WorkersAdded(listed.Workers));
        CountHosts();
    }

    private void CountHosts() => Context.Parent.Tell(new HostsCounted(_workers.Count));
}
