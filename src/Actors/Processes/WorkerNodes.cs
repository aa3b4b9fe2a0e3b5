using Actors.Protocol;
using Akka.Actor;
using Akka.Event;

namespace Actors.Processes;

/// <summary>
/// Processes mode's membership for worker nodes started by hand (<c>actors.pool.processes.nodes</c>):
/// deploys workers into each listed node and watches them with remote DeathWatch, so a node that
/// dies or becomes unreachable loses its workers (after the failure detector notices). The pool
/// did not start these nodes, so it never stops them.
/// </summary>
internal sealed class WorkerNodes : ReceiveActor
{
    private readonly ProcessSettings _settings;
    private readonly WorkerSpec _worker;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<IActorRef> _workers = new();

    public WorkerNodes(ProcessSettings settings, WorkerSpec worker)
    {
        _settings = settings;
        _worker = worker;
        Receive<Terminated>(terminated =>
        {
            if (!_workers.Remove(terminated.ActorRef)) return;
            var reason = $"worker {terminated.ActorRef.Path} terminated";
            _log.Warning("{0}; its work goes to the other workers", reason);
            Context.Parent.Tell(new WorkersLost([terminated.ActorRef], reason, []));
            CountHosts();
            if (_workers.Count == 0) Context.Parent.Tell(new NoWorkersLeft("every worker on the listed nodes (actors.pool.processes.nodes) is gone"));
        });
        Receive<StopWorkers>(_ => Sender.Tell(WorkersStopped.Instance));
    }

    public static Props Props(ProcessSettings settings, WorkerSpec worker) => Akka.Actor.Props.Create(() => new WorkerNodes(settings, worker));

    protected override SupervisorStrategy SupervisorStrategy() => _worker.Strategy;

    protected override void PreStart()
    {
        WorkerHosts.RequireRemoting(Context.System);
        for (var i = 0; i < _settings.Nodes.Count; i++)
        {
            var workers = WorkerHosts.Deploy(Context, _worker, Address.Parse(_settings.Nodes[i]), $"node-{i}", _settings.WorkersPerProcess);
            foreach (var worker in workers)
            {
                _workers.Add(worker);
                Context.Watch(worker);
            }
            Context.Parent.Tell(new WorkersAdded(workers));
        }
        CountHosts();
    }

    private void CountHosts() =>
        Context.Parent.Tell(new HostsCounted(_workers.Select(worker => worker.Path.Address).Distinct().Count()));
}
