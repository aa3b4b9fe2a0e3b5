using Actors.Protocol;
using Akka.Actor;

namespace Actors.Workers;

// How a worker runs what it has queued, and when it stops to read its mailbox in between.
internal sealed partial class Worker
{
    /// <summary>
    /// Runs the queued chunks in order until they are done or one waits on an async job. Then the
    /// answers held go now, or, for a batch, once the chunks already waiting in the mailbox have run too.
    /// A queue of synchronous chunks that runs past <c>yield-after</c> lets the mailbox in between
    /// chunks, so that a cancellation stops the chunks not started yet instead of arriving after them.
    /// </summary>
    private void RunQueued()
    {
        if (_continuing) return; // the mailbox is read first: a cancellation may be waiting there
        var yieldAt = System.Diagnostics.Stopwatch.GetTimestamp() + _yieldTicks;
        while (_queue.Count > 0)
        {
            if (YieldedAfter(yieldAt)) return;
            _queue.TryTake(out var item);
            if (item.Probe is { } probe)
            {
                _outbox.Flush();
                item.Manager.Tell(new Probed(probe.Id));
                continue;
            }
            _outbox.FlushIfDue();
            if (!Start(item.Run!, item.Manager)) return; // an async job: the rest waits for its end
        }
        // Worked past the slice: a chunk sent next may already have its cancellation behind it.
        YieldedAfter(yieldAt);
        if (!_gather) _outbox.Flush();
        else if (_outbox.Holding && !_flushing)
        {
            _flushing = true;
            Self.Tell(FlushAnswers.Instance);
        }
    }

    /// <summary>Once the slice is over, lets the mailbox in before anything else starts; true when it did.</summary>
    private bool YieldedAfter(long yieldAt)
    {
        if (System.Diagnostics.Stopwatch.GetTimestamp() < yieldAt) return false;
        _outbox.FlushIfDue();
        _continuing = true;
        Self.Tell(ContinueQueue.Instance);
        return true;
    }

    /// <summary>How long a worker runs its queue before it reads its mailbox (<c>actors.pool.yield-after</c>).</summary>
    private static TimeSpan YieldAfter(ActorSystem system) =>
        system.Settings.Config.GetTimeSpan("actors.pool.yield-after", TimeSpan.FromMilliseconds(10), allowInfinite: false);
}
