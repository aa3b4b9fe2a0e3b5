using System.Threading.Channels;
using Akka.Actor;

namespace Actors.Pool;

/// <summary>Hands a job's outcomes from the manager to the caller's async code, in arrival order.</summary>
internal sealed class ResultSink : ReceiveActor
{
    public ResultSink(ChannelWriter<IJobOutcome> writer)
    {
        Receive<IJobOutcome>(outcome => writer.TryWrite(outcome));
    }

    public static Props Props(ChannelWriter<IJobOutcome> writer) => Akka.Actor.Props.Create(() => new ResultSink(writer));
}
