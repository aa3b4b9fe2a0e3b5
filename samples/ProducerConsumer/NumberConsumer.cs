using Actors.Buffer;
using Akka.Actor;

namespace ProducerConsumer;

/// <summary>
/// Asks the buffer for one item per tick until the buffer reports <see cref="Completed"/>. A take
/// on an empty buffer waits inside the buffer instead of polling, and the next take is sent only
/// once the previous one was answered.
/// </summary>
public sealed class NumberConsumer : ReceiveActor, IWithTimers
{
    private static readonly BufferProtocol.Take TakeOne = new(1);

    private readonly IActorRef _buffer;
    private readonly TimeSpan _interval;
    private bool _waiting;

    public NumberConsumer(IActorRef buffer, TimeSpan interval)
    {
        _buffer = buffer;
        _interval = interval;

        Receive<Tick>(HandleTick);
        Receive<BufferProtocol.Taken<int>>(HandleTaken);
        Receive<BufferProtocol.Completed>(HandleCompleted);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef buffer, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new NumberConsumer(buffer, interval));

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, _interval, _interval);

    private void HandleTick(Tick tick)
    {
        if (_waiting)
        {
            return;
        }

        _waiting = true;
        _buffer.Tell(TakeOne);
    }

    // The buffer's observer prints what was removed, in the buffer's own order.
    private void HandleTaken(BufferProtocol.Taken<int> taken) => _waiting = false;

    private void HandleCompleted(BufferProtocol.Completed completed)
    {
        Timers.Cancel(Tick.Instance);
        Context.Stop(Self);
    }

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();

        private Tick() { }
    }
}
