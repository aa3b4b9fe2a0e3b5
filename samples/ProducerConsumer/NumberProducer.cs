using Actors.Buffer;
using Akka.Actor;

namespace ProducerConsumer;

/// <summary>
/// Puts 0, 1, 2 … into the buffer, one per tick, then sends <see cref="ProducerDone"/>. It never
/// has more than one put unanswered: a tick that finds the previous put still held by a full
/// buffer is skipped, which is the back-pressure the course's unbounded list lacks.
/// </summary>
public sealed class NumberProducer : ReceiveActor, IWithTimers
{
    private readonly IActorRef _buffer;
    private readonly int _count;
    private readonly TimeSpan _interval;
    private int _next;
    private bool _waiting;

    public NumberProducer(IActorRef buffer, int count, TimeSpan interval)
    {
        _buffer = buffer;
        _count = count;
        _interval = interval;

        Receive<Tick>(HandleTick);
        Receive<BufferProtocol.Accepted>(HandleAccepted);
        Receive<BufferProtocol.PutRefused>(HandleRefused);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef buffer, int count, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new NumberProducer(buffer, count, interval));

    protected override void PreStart()
    {
        if (_count == 0)
        {
            _buffer.Tell(BufferProtocol.ProducerDone.Instance);
            return;
        }

        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, _interval, _interval);
    }

    private void HandleTick(Tick tick)
    {
        if (_waiting || _next >= _count)
        {
            return;
        }

        _waiting = true;
        _buffer.Tell(new BufferProtocol.Put<int>(_next++));
    }

    private void HandleAccepted(BufferProtocol.Accepted accepted)
    {
        _waiting = false;
        if (_next >= _count)
        {
            Timers.Cancel(Tick.Instance);
            _buffer.Tell(BufferProtocol.ProducerDone.Instance);
        }
    }

    private void HandleRefused(BufferProtocol.PutRefused refused)
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
