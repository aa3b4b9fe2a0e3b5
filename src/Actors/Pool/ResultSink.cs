using System.Threading.Channels;
using Akka.Actor;

namespace Actors.Pool;

/// <summary>Hands a job's results from the manager to the caller's async code, in arrival order.</summary>
internal sealed class ResultSink : ReceiveActor
{
    public ResultSink(ChannelWriter<IPoolMessage> writer)
    {
        Receive<IPoolMessage>(message => writer.TryWrite(message));
    }

    public static Props Props(ChannelWriter<IPoolMessage> writer) => Akka.Actor.Props.Create(() => new ResultSink(writer));
}
