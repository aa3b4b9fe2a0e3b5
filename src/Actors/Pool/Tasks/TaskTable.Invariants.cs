using System.Diagnostics;

namespace Actors.Pool.Tasks;

internal sealed partial class TaskTable<TWorker>
{
    /// <summary>Every job's inputs that have had their outcome, as disjoint ranges (kept only where invariants are checked).</summary>
    private readonly Dictionary<long, OutcomeRanges> _outcomes = new();

    /// <summary>Whether every command checks the invariants: on in Debug builds, and wherever a spec turns it on.</summary>
    public bool CheckInvariants { get; set; } =
#if DEBUG
        true;
#else
        false;
#endif

    /// <summary>
    /// Throws when the table contradicts itself: the chunks in flight are the runs that count; every
    /// chunk is queued or running, never both; a worker holds no more than its share; every chunk
    /// belongs to an open job; no input has had two outcomes.
    /// </summary>
    /// <exception cref="InvalidOperationException">An invariant is broken (a bug in the table).</exception>
    public void AssertInvariants()
    {
        var counted = 0;
        var countedChunks = new HashSet<long>();
        foreach (var lane in _rotation)
        {
            Require(_lanes.TryGetValue(lane.Worker, out var known) && known == lane, $"lane of {lane.Worker} is not indexed");
            Require(lane.Runs.Count <= _chunksPerWorker, $"worker {lane.Worker} holds {lane.Runs.Count} runs, more than {_chunksPerWorker}");
            foreach (var run in lane.Runs.Where(run => run.Counts))
            {
                counted++;
                Require(countedChunks.Add(run.Chunk.Id), $"chunk {run.Chunk.Id} counts on two runs");
                Require(_chunks.ContainsKey(run.Chunk.Id), $"chunk {run.Chunk.Id} runs but is not in the table");
            }
        }
        Require(_rotation.Count == _lanes.Count, "a worker is missing from the rotation");
        Require(counted == _inFlight, $"{_inFlight} chunks in flight, but {counted} runs count");

        var queued = 0;
        foreach (var chunk in _chunks.Values)
        {
            Require(chunk.Queued is null != chunk.Running is null, $"chunk {chunk.Id} is {(chunk.Queued is null ? "neither queued nor running" : "queued and running")}");
            Require(_jobs.ContainsKey(chunk.JobId), $"chunk {chunk.Id} belongs to job {chunk.JobId}, which has ended");
            if (chunk.Queued is not null) queued++;
            else Require(countedChunks.Contains(chunk.Id), $"chunk {chunk.Id} is running on no worker");
        }
        Require(queued == _queue.Count && _queue.All(chunk => chunk.Queued is not null && _chunks.ContainsKey(chunk.Id)),
            "the queue and the chunks marked queued differ");
    }

    [Conditional("DEBUG")]
    private void AssertInvariantsInDebug()
    {
        if (CheckInvariants) AssertInvariants();
    }

    [Conditional("DEBUG")]
    private void ForgetOutcomesInDebug(long jobId) => _outcomes.Remove(jobId);

    [Conditional("DEBUG")]
    private void RecordOutcomesInDebug(List<TableDecision> decisions)
    {
        if (!CheckInvariants) return;
        foreach (var decision in decisions)
        {
            var (jobId, first, length) = decision switch
            {
                DeliverResults results => (results.JobId, results.FirstIndex, results.Count),
                ReportFailure failure => (failure.JobId, failure.Index, 1),
                _ => (0L, 0L, 0),
            };
            if (length == 0) continue;
            if (!_outcomes.TryGetValue(jobId, out var ranges)) _outcomes[jobId] = ranges = new OutcomeRanges();
            Require(ranges.TryAdd(first, length), $"job {jobId}: an input in {first}..{first + length - 1} has had an outcome before");
        }
    }

    private static void Require(bool condition, string broken)
    {
        if (!condition) throw new InvalidOperationException($"task table invariant broken: {broken}");
    }
}

/// <summary>Disjoint, merged ranges of indexes; refuses a range that overlaps one it holds.</summary>
internal sealed class OutcomeRanges
{
    /// <summary>Half-open ranges [Start, End), sorted by start, none touching another.</summary>
    private readonly List<(long Start, long End)> _ranges = new();

    public long Count => _ranges.Sum(range => range.End - range.Start);

    public bool TryAdd(long start, long length)
    {
        var end = start + length;
        // The first range that ends at or after the new one's start: the only ones it may touch follow.
        int lo = 0, hi = _ranges.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_ranges[mid].End < start) lo = mid + 1;
            else hi = mid;
        }
        var next = lo;
        var mergeStart = start;
        if (next < _ranges.Count && _ranges[next].End == start) mergeStart = _ranges[next++].Start;
        // Every range from here on ends after the new one starts: it overlaps if it starts before the new one ends.
        if (next < _ranges.Count && _ranges[next].Start < end) return false;
        var mergeEnd = end;
        if (next < _ranges.Count && _ranges[next].Start == end) mergeEnd = _ranges[next++].End;
        _ranges.RemoveRange(lo, next - lo);
        _ranges.Insert(lo, (mergeStart, mergeEnd));
        return true;
    }
}
