namespace Actors.Pool.Tasks;

/// <summary>
/// The pool's bookkeeping, in plain C#: which inputs wait, which worker runs which chunk, what each
/// input has been charged, and what each caller is owed. Every chunk is queued, running on exactly
/// one worker, or finished; each input of a job yields one outcome, a result or a failure. Each
/// command returns the decisions it led to (send this chunk, deliver these results, report this
/// input failed), and the manager turns them into messages.
/// </summary>
/// <remarks>
/// The table chooses the worker for every chunk, so it always knows what a lost worker held: the
/// chunk it was running is charged a try, the others go back to the queue uncharged. Workers answer
/// in the order they were sent chunks; an answer for a later chunk shows that the earlier ones were
/// lost on the way. Time is passed in (<c>now</c>), so specs drive it step by step.
/// </remarks>
/// <typeparam name="TWorker">What names a worker (an actor reference in the pool).</typeparam>
internal sealed partial class TaskTable<TWorker> where TWorker : notnull
{
    /// <summary>The error type reported for inputs lost with their worker.</summary>
    public const string WorkerLostError = "WorkerLost";

    /// <summary>The error type reported for inputs whose answer never came.</summary>
    public const string NoAnswerError = "NoAnswer";

    /// <summary>Chunks one worker may hold at once (running and waiting in its mailbox).</summary>
    private readonly int _chunksPerWorker;
    /// <summary>How the next chunk's worker is picked.</summary>
    private readonly WorkerChoice _choice;
    /// <summary>Open jobs by id.</summary>
    private readonly Dictionary<long, JobPolicy> _jobs = new();
    /// <summary>Every chunk not yet finished, queued or running.</summary>
    private readonly Dictionary<long, ChunkTask> _chunks = new();
    /// <summary>Chunks waiting for a worker, next first.</summary>
    private readonly LinkedList<ChunkTask> _queue = new();
    /// <summary>Each worker's unanswered runs.</summary>
    private readonly Dictionary<TWorker, WorkerLane<TWorker>> _lanes = new();
    /// <summary>The lanes in the order workers take turns.</summary>
    private readonly List<WorkerLane<TWorker>> _rotation = new();
    /// <summary>What the current command decided.</summary>
    private readonly List<TableDecision> _decisions = new();
    /// <summary>Where the next turn starts in <see cref="_rotation"/>.</summary>
    private int _nextTurn;
    private long _lastChunkId;
    /// <summary>Runs that count for their chunk: the chunks in flight.</summary>
    private int _inFlight;
    /// <summary>Chunks sent again after a failure, a timeout or a lost worker.</summary>
    private long _retries;

    /// <param name="chunksPerWorker">Chunks one worker may hold at once; more hides latency, fewer bounds memory.</param>
    /// <param name="choice">How the next chunk's worker is picked.</param>
    public TaskTable(int chunksPerWorker, WorkerChoice choice)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunksPerWorker, 1);
        _chunksPerWorker = chunksPerWorker;
        _choice = choice;
    }

    /// <summary>What the table holds now.</summary>
    public TableCounts Counts
    {
        get
        {
            var serving = _rotation.Count(lane => !lane.Suspended);
            return new(serving, _inFlight, serving * _chunksPerWorker, _queue.Count, _jobs.Count, _retries);
        }
    }

    /// <summary>Opens a job; its chunks may be submitted from now on.</summary>
    public void StartJob(long jobId, JobPolicy policy) => _jobs.TryAdd(jobId, policy);

    /// <summary>Queues inputs <paramref name="firstIndex"/> .. of a job; ignored once the job has ended.</summary>
    public IReadOnlyList<TableDecision> Submit(long jobId, long firstIndex, Array inputs, TimeSpan now)
    {
        if (_jobs.ContainsKey(jobId) && inputs.Length > 0) Enqueue(NewChunk(jobId, firstIndex, inputs, tries: 0), first: false);
        return Decided(now);
    }

    /// <summary>Closes a job: its queued chunks are dropped now, and answers for its running ones are ignored.</summary>
    public IReadOnlyList<TableDecision> EndJob(long jobId, TimeSpan now)
    {
        if (_jobs.Remove(jobId))
        {
            foreach (var chunk in _chunks.Values.Where(chunk => chunk.JobId == jobId).ToList()) Finish(chunk);
        }
        return Decided(now);
    }

    /// <summary>A worker's outputs for a chunk; counted once, and only from a worker the chunk was sent to.</summary>
    public IReadOnlyList<TableDecision> Completed(TWorker worker, long chunkId, Array outputs, int pid, TimeSpan now)
    {
        if (TakeAnswer(worker, chunkId) is { } chunk)
        {
            Finish(chunk);
            _decisions.Add(new DeliverResults(chunk.JobId, chunk.FirstIndex, outputs, pid));
        }
        return Decided(now);
    }

    /// <summary>
    /// A worker's job threw at <paramref name="offset"/>: the outputs before it are delivered, the
    /// failed input is charged a try, and the inputs after it go back to the queue uncharged.
    /// </summary>
    public IReadOnlyList<TableDecision> Failed(
        TWorker worker, long chunkId, int offset, Array completedOutputs, string errorType, string message, bool retryable, int pid, TimeSpan now)
    {
        if (TakeAnswer(worker, chunkId) is { } chunk && (uint)offset < (uint)chunk.Inputs.Length)
        {
            Finish(chunk);
            if (completedOutputs.Length > 0) _decisions.Add(new DeliverResults(chunk.JobId, chunk.FirstIndex, completedOutputs, pid));
            var rest = offset + 1;
            if (rest < chunk.Inputs.Length)
                Enqueue(NewChunk(chunk.JobId, chunk.FirstIndex + rest, Slice(chunk.Inputs, rest, chunk.Inputs.Length - rest), chunk.Tries), first: true);
            var failed = NewChunk(chunk.JobId, chunk.FirstIndex + offset, Slice(chunk.Inputs, offset, 1), chunk.Tries);
            ChargeEach(failed, Charge.JobThrew, errorType, _ => message, retryable);
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
                known.Suspended = false;
                continue;
            }
            var lane = new WorkerLane<TWorker>(worker);
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
            foreach (var run in lane.Runs.Reverse().Where(run => run.Counts && run != running)) Requeue(run.Chunk);
            if (running is { Counts: true })
                ChargeEach(running.Chunk, Charge.WorkerLost, WorkerLostError, index => $"{reason} while running input #{index}", retryable: true);
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
            foreach (var run in lane.Runs.Reverse().Where(run => run.Counts)) Requeue(run.Chunk);
        }
        return Decided(now);
    }

    /// <summary>
    /// Charges a try to each input of every chunk past its deadline. The worker is still busy with
    /// it, so the run keeps its place in the lane until the worker answers; the retries go elsewhere
    /// if another worker has room.
    /// </summary>
    public IReadOnlyList<TableDecision> Expire(TimeSpan now)
    {
        foreach (var lane in _rotation)
        {
            if (FirstCounted(lane) is not { Deadline: { } deadline } run || deadline >= now) continue;
            var timeout = _jobs[run.Chunk.JobId].TaskTimeout;
            ChargeEach(run.Chunk, Charge.TimedOut, typeof(TimeoutException).FullName!, _ => $"no result within the per-task timeout of {timeout}", retryable: true);
        }
        return Decided(now);
    }

    /// <summary>No worker will take them: every queued input is reported failed with <paramref name="reason"/>.</summary>
    public IReadOnlyList<TableDecision> FailQueued(string errorType, string reason, TimeSpan now)
    {
        while (_queue.First?.Value is { } chunk)
        {
            Finish(chunk);
            for (var offset = 0; offset < chunk.Inputs.Length; offset++)
                _decisions.Add(new ReportFailure(chunk.JobId, chunk.FirstIndex + offset, chunk.Inputs.GetValue(offset), errorType, reason, chunk.Tries));
        }
        return Decided(now);
    }

    /// <summary>
    /// Takes the answer of <paramref name="worker"/> for <paramref name="chunkId"/> off its lane.
    /// Returns the chunk when the answer counts: the chunk was sent to this worker and is still waiting for it.
    /// </summary>
    private ChunkTask? TakeAnswer(TWorker worker, long chunkId)
    {
        if (!_lanes.TryGetValue(worker, out var lane)) return null;
        var node = lane.Runs.First;
        while (node is not null && node.Value.Chunk.Id != chunkId) node = node.Next;
        if (node is null) return null; // never sent to this worker, or answered already
        // A worker answers in the order it was sent chunks: the ones sent before this one were lost
        // on the way there or back. They may have run, so they are charged, which bounds a chunk
        // whose every answer is lost.
        while (lane.Runs.First != node)
        {
            var lost = lane.Runs.First!.Value;
            lane.Runs.RemoveFirst();
            if (lost.Counts)
                ChargeEach(lost.Chunk, Charge.NoAnswer, NoAnswerError, index => $"input #{index}: no answer from its worker (a message was lost)", retryable: true);
        }
        lane.Runs.RemoveFirst();
        return node.Value.Counts ? node.Value.Chunk : null;
    }

    /// <summary>
    /// Charges each input of <paramref name="chunk"/> one try: each goes back to the front of the
    /// queue alone, or is reported failed when its tries are spent or the charge may not be retried.
    /// </summary>
    private void ChargeEach(ChunkTask chunk, Charge charge, string errorType, Func<long, string> message, bool retryable)
    {
        Finish(chunk);
        if (!_jobs.TryGetValue(chunk.JobId, out var policy)) return;
        var tries = chunk.Tries + 1;
        var retry = retryable && tries < policy.MaxAttempts && (charge != Charge.JobThrew || policy.RetryJobExceptions);
        for (var offset = chunk.Inputs.Length - 1; offset >= 0; offset--)
        {
            var index = chunk.FirstIndex + offset;
            if (retry)
            {
                var alone = chunk.Inputs.Length == 1 ? chunk.Inputs : Slice(chunk.Inputs, offset, 1);
                Enqueue(NewChunk(chunk.JobId, index, alone, tries), first: true);
                _retries++;
            }
            else _decisions.Add(new ReportFailure(chunk.JobId, index, chunk.Inputs.GetValue(offset), errorType, message(index), tries));
        }
    }

    /// <summary>Puts a running chunk back at the front of the queue, uncharged, under its id.</summary>
    private void Requeue(ChunkTask chunk)
    {
        Uncount(chunk);
        Enqueue(chunk, first: true);
        _retries++;
    }

    /// <summary>Hands queued chunks to workers with room, and starts the clock of every worker's first counted run.</summary>
    private IReadOnlyList<TableDecision> Decided(TimeSpan now)
    {
        while (_queue.First?.Value is { } chunk && NextWorker() is { } lane)
        {
            _queue.RemoveFirst();
            chunk.Queued = null;
            var run = new ChunkRun(chunk);
            lane.Runs.AddLast(run);
            chunk.Running = run;
            _inFlight++;
            _decisions.Add(new SendChunk<TWorker>(lane.Worker, chunk.Id, _jobs[chunk.JobId].JobType, chunk.Inputs));
        }
        foreach (var lane in _rotation) StartClock(lane, now);
        RecordOutcomesInDebug(_decisions);
        AssertInvariantsInDebug();
        var decided = _decisions.ToArray();
        _decisions.Clear();
        return decided;
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
            if (lane.Suspended || lane.Runs.Count >= _chunksPerWorker || best is not null && lane.Runs.Count >= best.Runs.Count) continue;
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
            ? Deadline(now, timeout, run.Chunk.Inputs.Length)
            : TimeSpan.MaxValue;
    }

    /// <summary><paramref name="now"/> + <paramref name="perInput"/> × <paramref name="inputs"/>, or
    /// <see cref="TimeSpan.MaxValue"/> where that would overflow.</summary>
    internal static TimeSpan Deadline(TimeSpan now, TimeSpan perInput, int inputs)
    {
        var room = TimeSpan.MaxValue.Ticks - Math.Max(0, now.Ticks);
        return perInput.Ticks > room / Math.Max(1, inputs) ? TimeSpan.MaxValue : now + perInput * inputs;
    }

    private static ChunkRun? FirstCounted(WorkerLane<TWorker> lane) => lane.Runs.FirstOrDefault(run => run.Counts);

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

    private ChunkTask NewChunk(long jobId, long firstIndex, Array inputs, int tries)
    {
        var chunk = new ChunkTask(++_lastChunkId, jobId, firstIndex, inputs, tries);
        _chunks.Add(chunk.Id, chunk);
        return chunk;
    }

    private void Enqueue(ChunkTask chunk, bool first) => chunk.Queued = first ? _queue.AddFirst(chunk) : _queue.AddLast(chunk);

    /// <summary>Takes a chunk out of the table, wherever it is; a run of it still in a lane no longer counts.</summary>
    private void Finish(ChunkTask chunk)
    {
        _chunks.Remove(chunk.Id);
        if (chunk.Queued is { } node)
        {
            _queue.Remove(node);
            chunk.Queued = null;
        }
        Uncount(chunk);
    }

    private void Uncount(ChunkTask chunk)
    {
        if (chunk.Running is null) return;
        chunk.Running = null;
        _inFlight--;
    }

    private static Array Slice(Array source, int start, int length)
    {
        var slice = Array.CreateInstance(source.GetType().GetElementType()!, length);
        Array.Copy(source, start, slice, 0, length);
        return slice;
    }
}
