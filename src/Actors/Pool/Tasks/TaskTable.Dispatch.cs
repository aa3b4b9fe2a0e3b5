namespace Actors.Pool.Tasks;

// How queued chunks go out to workers with room, and when a chunk's deadline clock starts.
internal sealed partial class TaskTable<TWorker>
{
    /// <summary>Hands queued chunks to workers with room, and starts the clock of every worker's first counted run.</summary>
    private IReadOnlyList<TableDecision> Decided(TimeSpan now)
    {
        while (_queue.First?.Value is { } chunk && NextWorker() is { } lane)
        {
            _queue.RemoveFirst();
            chunk.Queued = null;
            Send(chunk, lane, now);
        }
        if (_queue.Count == 0) Rebalance(now);
        foreach (var lane in _rotation) StartClock(lane, now);
        RecordOutcomesInDebug(_decisions);
        AssertInvariantsInDebug();
        var decided = _decisions.ToArray();
        _decisions.Clear();
        return decided;
    }

    private void Send(ChunkTask chunk, WorkerLane<TWorker> lane, TimeSpan now)
    {
        var run = new ChunkRun(chunk);
        if (lane.Runs.Count == 0) lane.LastHeard = now; // it owed nothing: its silence so far says nothing
        lane.Runs.AddLast(run);
        chunk.Running = run;
        _inFlight++;
        _decisions.Add(new SendChunk<TWorker>(lane.Worker, chunk.Id, chunk.JobId, chunk.FirstIndex, _jobs[chunk.JobId].JobType, chunk.Inputs, chunk.Tries) { Trace = chunk.Trace });
    }

    /// <summary>
    /// Nothing is queued, yet a worker is idle while another, silent for <c>steal-after</c>, holds
    /// chunks behind the one it runs: those have not started (a worker runs its chunks one at a time,
    /// in order), so the latest of them goes to the idle worker, uncharged, under a new id, and its
    /// old run is cancelled (its worker answers "cancelled before it started"; an answer for it is
    /// ignored either way). A short chunk thus never waits behind a long one while a worker is free.
    /// </summary>
    private void Rebalance(TimeSpan now)
    {
        if (_stealAfter <= TimeSpan.Zero) return;
        foreach (var idle in _rotation)
        {
            if (idle.Suspended || idle.Runs.Count > 0) continue;
            if (Unstarted(now) is not var (busy, run)) return;
            _decisions.Add(new CancelRun<TWorker>(busy.Worker, run.Chunk.Id));
            Send(Resend(run.Chunk, RetryReason.Rebalanced), idle, now);
        }
    }

    /// <summary>The latest counted run waiting behind another in the lane of a worker silent for <c>steal-after</c>; null when there is none.</summary>
    private (WorkerLane<TWorker> Lane, ChunkRun Run)? Unstarted(TimeSpan now)
    {
        foreach (var lane in _rotation)
        {
            if (lane.Runs.Count < 2 || now - lane.LastHeard < _stealAfter) continue;
            for (var node = lane.Runs.Last; node != lane.Runs.First; node = node!.Previous)
            {
                if (node!.Value.Counts) return (lane, node.Value);
            }
        }
        return null;
    }

    /// <summary>The worker to send the next chunk to, among those with room; null when none has.</summary>
    private WorkerLane<TWorker>? NextWorker()
    {
        WorkerLane<TWorker>? best = null;
        var bestAt = 0;
        for (var i = 0; i < _rotation.Count; i++)
        {
            var at = (_nextTurn + i) % _rotation.Count;
            var lane = _rotation[at];
            if (lane.Suspended || lane.Runs.Count >= lane.Depth || best is not null && lane.Runs.Count >= best.Runs.Count) continue;
            (best, bestAt) = (lane, at);
            if (_choice == WorkerChoice.RoundRobin || lane.Runs.Count == 0) break;
        }
        if (best is not null) _nextTurn = (bestAt + 1) % _rotation.Count;
        return best;
    }

    /// <summary>
    /// A worker runs its chunks one at a time, in order: its first counted run has started, and its
    /// clock starts now if it has not yet. Runs that no longer count still come first in the worker's
    /// mailbox, but they do not hold back the clock of the one after them.
    /// </summary>
    private void StartClock(WorkerLane<TWorker> lane, TimeSpan now)
    {
        if (FirstCounted(lane) is not { Deadline: null } run) return;
        run.Deadline = _jobs[run.Chunk.JobId].TaskTimeout is { } timeout
            ? Deadline(now, timeout, run.Chunk.Inputs.Count)
            : TimeSpan.MaxValue;
    }

    /// <summary><paramref name="now"/> + <paramref name="perInput"/> × <paramref name="inputs"/>, or
    /// <see cref="TimeSpan.MaxValue"/> where that would overflow.</summary>
    internal static TimeSpan Deadline(TimeSpan now, TimeSpan perInput, int inputs)
    {
        var room = TimeSpan.MaxValue.Ticks - Math.Max(0, now.Ticks);
        // In whole ticks: TimeSpan * int goes through a double, which rounds a product near the
        // limit up past it (adding now then overflows) and others by hundreds of ticks.
        return perInput.Ticks > room / Math.Max(1, inputs) ? TimeSpan.MaxValue : new TimeSpan(now.Ticks + perInput.Ticks * inputs);
    }

    /// <summary>The lane's first run that counts for its chunk (walked by hand: it runs on every command, for every lane).</summary>
    private static ChunkRun? FirstCounted(WorkerLane<TWorker> lane)
    {
        for (var node = lane.Runs.First; node is not null; node = node.Next)
        {
            if (node.Value.Counts) return node.Value;
        }
        return null;
    }
}
