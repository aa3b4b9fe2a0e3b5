using Actors.Protocol;

namespace Actors.Pool.Tasks;

// How answers are taken off a worker's lane, and how a chunk is charged a try or sent back uncharged.
internal sealed partial class TaskTable<TWorker>
{
    /// <summary>
    /// Charges a try to each input of every chunk past its deadline and tells its worker to cancel
    /// it. The worker is still busy with it, so the run keeps its place in the lane until the worker
    /// answers; the retries go elsewhere if another worker has room. A late chunk that its worker may not have started is sent on uncharged.
    /// </summary>
    public IReadOnlyList<TableDecision> Expire(TimeSpan now)
    {
        foreach (var lane in _rotation)
        {
            if (FirstCounted(lane) is not { Deadline: { } deadline } run || deadline >= now) continue;
            var first = lane.Runs.First!.Value;
            if (first != run && !Overlap(first.Chunk, run.Chunk))
            {
                // The worker has not answered for a run sent before this one (late, or of an ended
                // job) and may still be busy with it: this chunk may not have started, and its inputs
                // must not be charged a try they never had. It goes back uncharged under a new id (its
                // old run stays queued at the worker; that answer is ignored). A retry waiting behind
                // its own inputs' unanswered run is charged: that input keeps the worker busy, and
                // charging it is what ends a call whose input never finishes on its only worker.
                Enqueue(Resend(run.Chunk, RetryReason.Timeout), first: true);
                continue;
            }
            var policy = _jobs[run.Chunk.JobId];
            var timeout = policy.TaskTimeout;
            run.Overdue = (deadline + _retireAfter, policy.JobType, timeout.GetValueOrDefault());
            ChargeEach(run.Chunk, Charge.TimedOut, _ => JobError.Of(typeof(TimeoutException).FullName!, $"no result within the per-task timeout of {timeout}"), retryable: true);
            // Its worker is told to stop: a job that heeds its token answers at once and the worker is free.
            _decisions.Add(new CancelRun<TWorker>(lane.Worker, run.Chunk.Id));
        }
        Overdue(now);
        return Decided(now);
    }

    /// <summary>
    /// Names each worker still busy, <c>retire-after</c> past a deadline, with the chunk it was told
    /// to cancel there (the first run of its lane, since a worker answers in order): its job does not
    /// heed cancellation, and only its placement can free it. Said once per run.
    /// </summary>
    private void Overdue(TimeSpan now)
    {
        foreach (var lane in _rotation)
        {
            if (lane.Runs.First?.Value is not { Overdue: { } overdue } run || overdue.At > now) continue;
            run.Overdue = null;
            var chunk = run.Chunk;
            _decisions.Add(new WorkerOverdue<TWorker>(lane.Worker, chunk.Id, overdue.JobType, chunk.FirstIndex,
                chunk.Inputs.Count > 0 ? chunk.Inputs[0] : null, overdue.Timeout));
        }
    }

    /// <summary>Whether two chunks hold some of the same inputs.</summary>
    private static bool Overlap(ChunkTask a, ChunkTask b) =>
        a.JobId == b.JobId && a.FirstIndex < b.FirstIndex + b.Inputs.Count && b.FirstIndex < a.FirstIndex + a.Inputs.Count;

    /// <summary>
    /// Takes the answer of <paramref name="worker"/> for <paramref name="chunkId"/> off its lane.
    /// Returns the chunk when the answer counts: the chunk was sent to this worker and is still waiting for it.
    /// </summary>
    /// <param name="runTime">The worker's own measure of the run (zero when unknown): it reshapes the lane's depth.</param>
    private ChunkTask? TakeAnswer(TWorker worker, long chunkId, TimeSpan now, TimeSpan runTime = default)
    {
        if (!_lanes.TryGetValue(worker, out var lane)) return null;
        lane.LastHeard = now;
        var node = lane.Runs.First;
        while (node is not null && node.Value.Chunk.Id != chunkId) node = node.Next;
        if (node is null) return null; // never sent to this worker, or answered already
        lane.RunTime = PipelineDepth.Estimate(lane.RunTime, runTime);
        lane.Depth = _depth.For(lane.RunTime);
        // A worker answers in the order it was sent chunks: the ones sent before this one were lost
        // on the way there or back.
        while (lane.Runs.First != node)
        {
            var lost = lane.Runs.First!.Value;
            lane.Runs.RemoveFirst();
            if (lost.Counts) ChargeLost(lost.Chunk);
        }
        lane.Runs.RemoveFirst();
        return node.Value.Counts ? node.Value.Chunk : null;
    }

    /// <summary>Takes a run the worker was never sent (the chunk was withheld) off its lane; returns its chunk when the run counted.</summary>
    private ChunkTask? Withdraw(TWorker worker, long chunkId)
    {
        if (!_lanes.TryGetValue(worker, out var lane) || lane.Runs.LastOrDefault(run => run.Chunk.Id == chunkId) is not { } run) return null;
        lane.Runs.Remove(run);
        return run.Counts ? run.Chunk : null;
    }

    /// <summary>A run whose answer never came: it may have run, so its inputs are charged, which bounds a chunk whose every answer is lost.</summary>
    private void ChargeLost(ChunkTask chunk) =>
        ChargeEach(chunk, Charge.NoAnswer, index => JobError.Of(NoAnswerError, $"input #{index}: no answer from its worker (a message was lost)"), retryable: true);

    /// <summary>
    /// Charges each input of <paramref name="chunk"/> one try: each goes back to the front of the
    /// queue alone, or is reported failed when its tries are spent or the charge may not be retried.
    /// </summary>
    private void ChargeEach(ChunkTask chunk, Charge charge, Func<long, JobError> error, bool retryable)
    {
        Finish(chunk);
        if (!_jobs.TryGetValue(chunk.JobId, out var policy)) return;
        var tries = chunk.Tries + 1;
        var retry = retryable && tries < policy.MaxAttempts && (charge != Charge.JobThrew || policy.RetryJobExceptions);
        if (retry) Retried(chunk.JobId, ReasonOf(charge), chunk.Inputs.Count);
        for (var offset = chunk.Inputs.Count - 1; offset >= 0; offset--)
        {
            var index = chunk.FirstIndex + offset;
            if (retry)
            {
                var alone = chunk.Inputs.Count == 1 ? chunk.Inputs : chunk.Inputs.Slice(offset, 1);
                Enqueue(NewChunk(chunk.JobId, index, alone, tries, chunk.Trace), first: true);
                _retries++;
            }
            else _decisions.Add(new ReportFailure(chunk.JobId, index, chunk.Inputs[offset], error(index), tries));
        }
    }

    /// <summary>
    /// Takes a chunk that may not have started off its worker and returns it as a new chunk (a new
    /// id), uncharged: its old run stays in the lane, and its answer is ignored.
    /// </summary>
    private ChunkTask Resend(ChunkTask waiting, RetryReason reason)
    {
        Finish(waiting);
        _retries++;
        Retried(waiting.JobId, reason, waiting.Inputs.Count);
        return NewChunk(waiting.JobId, waiting.FirstIndex, waiting.Inputs, waiting.Tries, waiting.Trace);
    }

    /// <summary>Puts a running chunk back at the front of the queue, uncharged, under its id.</summary>
    private void Requeue(ChunkTask chunk, RetryReason reason)
    {
        Uncount(chunk);
        Enqueue(chunk, first: true);
        _retries++;
        Retried(chunk.JobId, reason, chunk.Inputs.Count);
    }
}
