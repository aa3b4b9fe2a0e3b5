using Actors.Protocol;
using Akka.Actor;

namespace Actors.Workers;

/// <summary>
/// The actor at <see cref="WorkerHostArguments.WorkersPath"/> in a worker host: creates the host's
/// workers and supervises them here, and tells a pool which they are. The pool deploys nothing
/// into the host, so the host accepts no remote deployment at all.
/// </summary>
internal sealed class WorkerHost : ReceiveActor
{
    public WorkerHost(int workers)
    {
        for (var i = 0; i < workers; i++) Context.ActorOf(Worker.Props(), $"worker-{i}");
        Receive<ListWorkers>(_ =>
        {
            Sender.Tell(new WorkersListed(Context.GetChildren().ToArray(), Environment.ProcessId));
            StartUpSteps.FirstListed();
        });
    }

    public static Props Props(int workers) => Akka.Actor.Props.Create(() => new WorkerHost(workers));

    protected override SupervisorStrategy SupervisorStrategy() => Worker.Strategy();
}
