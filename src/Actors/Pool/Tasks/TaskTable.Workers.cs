using Actors.Protocol;

namespace Actors.Pool.Tasks;

// The table's commands about workers: they come, die, leave, and are probed when silent.
internal sealed partial class TaskTable<TWorker>
{
    /// <summary>
    /// Probes every worker that owes answers and has given none for the probe interval: once it
    /// answers the probe (<see cref="Probed"/>), whatever it was sent before it and has not answered
    /// was lost on the way. A busy worker answers late, which costs nothing.
    /// </summary>
    public IReadOnlyList<TableDecision> Probe(TimeSpan now)
    {
        foreach (var lane in _rotation)
        {
            if (lane.Probe is not null || lane.Runs.Last is not { } last || now - lane.LastHeard < _probeAfter) continue;
            lane.Probe = (++_lastProbeId, last.Value);
            _decisions.Add(new ProbeWorker<TWorker>(lane.Worker, _lastProbeId));
        }
        return Decided(now);
    }

    /// <summary>A worker answered probe <paramref name="probeId"/>: the runs sent before it that it has not answered are charged as lost.</summary>
    public IReadOnlyList<TableDecision> Probed(TWorker worker, long probeId, TimeSpan now)
    {
        if (_lanes.TryGetValue(worker, out var lane) && lane.Probe is { } probe && probe.Id == probeId)
        {
            lane.Probe = null;
            lane.LastHeard = now;
            if (lane.Runs.Contains(probe.LastBefore))
            {
                while (lane.Runs.First is { } first)
                {
                    lane.Runs.RemoveFirst();
                    if (first.Value.Counts) ChargeLost(first.Value.Chunk);
                    if (first.Value == probe.LastBefore) break;
                }
            }
        }
        return Decided(now);
    }

    /// <summary>New workers take chunks from now on; so do suspended ones added again.</summary>
    public IReadOnlyList<TableDecision> AddWorkers(IEnumerable<TWorker> workers, TimeSpan now)
    {
        foreach (var worker in workers)
        {
            if (_lanes.TryGetValue(worker, out var known))
            {
                known.Suspended = false; // added again: it serves again
                continue;
            }
            var lane = new WorkerLane<TWorker>(worker, now) { Depth = _depth.Least };
            _lanes.Add(worker, lane);
            _rotation.Add(lane);
        }
        return Decided(now);
    }

    /// <summary>
    /// Workers died with what they held. For each, the chunk it was running (the latest of
    /// <paramref name="announced"/> it was sent, else the first it owed) is charged a try; the
    /// chunks before it had finished and the ones after it had not started, so they go back to the
    /// queue uncharged. Their late answers, should any come, are ignored.
    /// </summary>
    public IReadOnlyList<TableDecision> LoseWorkers(IEnumerable<TWorker> workers, string reason, IReadOnlyCollection<long> announced, TimeSpan now)
    {
        foreach (var lane in RemoveLanes(workers))
        {
            var running = lane.Runs.LastOrDefault(run => announced.Contains(run.Chunk.Id)) ?? lane.Runs.First?.Value;
            foreach (var run in lane.Runs.Reverse().Where(run => run.Counts && run != running)) Requeue(run.Chunk, RetryReason.WorkerLost);
            if (running is { Counts: true })
                ChargeEach(running.Chunk, Charge.WorkerLost, index => JobError.Of(WorkerLostError, $"{reason} while running input #{index}"), retryable: true);
        }
        return Decided(now);
    }

    /// <summary>
    /// Workers that cannot be reached now are sent nothing more. What they hold stays in their
    /// lanes, and their answers still count, until they are lost, retire, or are added again.
    /// </summary>
    public IReadOnlyList<TableDecision> SuspendWorkers(IEnumerable<TWorker> workers, TimeSpan now)
    {
        foreach (var worker in workers)
            if (_lanes.TryGetValue(worker, out var lane)) lane.Suspended = true;
        return Decided(now);
    }

    /// <summary>Workers leave in order (a pool shrinks, a member leaves): everything they held goes back to the queue uncharged.</summary>
    public IReadOnlyList<TableDecision> RetireWorkers(IEnumerable<TWorker> workers, TimeSpan now)
    {
        foreach (var lane in RemoveLanes(workers))
        {
            foreach (var run in lane.Runs.Reverse().Where(run => run.Counts)) Requeue(run.Chunk, RetryReason.WorkerLeft);
        }
        return Decided(now);
    }

    private List<WorkerLane<TWorker>> RemoveLanes(IEnumerable<TWorker> workers)
    {
        var removed = new List<WorkerLane<TWorker>>();
        foreach (var worker in workers)
        {
            if (!_lanes.Remove(worker, out var lane)) continue;
            var at = _rotation.IndexOf(lane);
            _rotation.RemoveAt(at);
            if (_nextTurn > at) _nextTurn--;
            if (_nextTurn >= _rotation.Count) _nextTurn = 0;
            removed.Add(lane);
        }
        return removed;
    }
}
