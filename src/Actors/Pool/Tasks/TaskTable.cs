using System.Diagnostics;
using Actors.Protocol;

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

    /// <summary>How many chunks one worker may hold at once (running and waiting in its mailbox).</summary>
    private readonly PipelineDepth _depth;
    /// <summary>How long a worker may owe answers without giving any before it is probed.</summary>
    private readonly TimeSpan _probeAfter;
    /// <summary>How long a worker may go on with a chunk past its deadline before it is overdue.</summary>
    private readonly TimeSpan _retireAfter;
    /// <summary>How long a worker may be silent before the chunks it holds but has not started go to an idle worker; zero: never.</summary>
    private readonly TimeSpan _stealAfter;
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
    private long _lastProbeId;
    /// <summary>Runs that count for their chunk: the chunks in flight.</summary>
    private int _inFlight;
    /// <summary>Chunks sent again after a failure, a timeout, a lost worker, or to an idle worker.</summary>
    private long _retries;

    /// <param name="chunksPerWorker">Chunks one worker may hold at once; more hides latency, fewer bounds memory.</param>
    /// <param name="choice">How the next chunk's worker is picked.</param>
    /// <param name="probeAfter">How long a worker may owe answers without giving any before it is probed (<see cref="Probe"/>).</param>
    public TaskTable(int chunksPerWorker, WorkerChoice choice, TimeSpan probeAfter, TimeSpan? retireAfter = null, TimeSpan? stealAfter = null)
        : this(PipelineDepth.Fixed(chunksPerWorker >= 1 ? chunksPerWorker
            : throw new ArgumentOutOfRangeException(nameof(chunksPerWorker), chunksPerWorker, "a worker must be able to hold a chunk")), choice, probeAfter, retireAfter, stealAfter)
    {
    }

    /// <param name="depth">How many chunks one worker may hold at once: a fixed number, or more while its chunks are short.</param>
    /// <param name="choice">How the next chunk's worker is picked.</param>
    /// <param name="probeAfter">How long a worker may owe answers without giving any before it is probed (<see cref="Probe"/>).</param>
    /// <param name="retireAfter">How long a worker may go on with a chunk past its deadline before it is said to be overdue (<see cref="WorkerOverdue{TWorker}"/>); 2 s by default.</param>
    /// <param name="stealAfter">How long a worker may be silent before the chunks it holds but has not started go to an idle worker; zero (the default): never.</param>
    public TaskTable(PipelineDepth depth, WorkerChoice choice, TimeSpan probeAfter, TimeSpan? retireAfter = null, TimeSpan? stealAfter = null)
    {
        ArgumentNullException.ThrowIfNull(depth);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth.Least, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth.Horizon, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(probeAfter, TimeSpan.Zero);
        _depth = depth;
        _choice = choice;
        _probeAfter = probeAfter;
        _retireAfter = retireAfter ?? TimeSpan.FromSeconds(2);
        ArgumentOutOfRangeException.ThrowIfLessThan(_retireAfter, TimeSpan.Zero);
        _stealAfter = stealAfter ?? TimeSpan.Zero;
        ArgumentOutOfRangeException.ThrowIfLessThan(_stealAfter, TimeSpan.Zero);
    }

    /// <summary>What the table holds now.</summary>
    public TableCounts Counts
    {
        get
        {
            int serving = 0, room = 0;
            foreach (var lane in _rotation.Where(lane => !lane.Suspended))
            {
                serving++;
                room += lane.Depth;
            }
            return new(serving, _inFlight, room, _queue.Count, _jobs.Count, _retries);
        }
    }

    /// <summary>Opens a job; its chunks may be submitted from now on.</summary>
    public void StartJob(long jobId, JobPolicy policy) => _jobs.TryAdd(jobId, policy);

    /// <summary>Queues inputs <paramref name="firstIndex"/> .. of a job; ignored once the job has ended.</summary>
    /// <param name="trace">The span the inputs belong to (their map's or submit's), carried to every chunk made of them; none when untraced.</param>
    public IReadOnlyList<TableDecision> Submit(long jobId, long firstIndex, ArrayRegion inputs, TimeSpan now, ActivityContext trace = default)
    {
        if (_jobs.ContainsKey(jobId) && inputs.Count > 0) Enqueue(NewChunk(jobId, firstIndex, inputs, tries: 0, trace), first: false);
        return Decided(now);
    }

    /// <summary>
    /// Closes a job: its queued chunks are dropped now; its running ones are cancelled, and their
    /// answers ignored (each still clears its worker's lane when it comes).
    /// </summary>
    public IReadOnlyList<TableDecision> EndJob(long jobId, TimeSpan now)
    {
        if (_jobs.Remove(jobId))
        {
            ForgetOutcomesInDebug(jobId);
            foreach (var lane in _rotation)
            {
                foreach (var run in lane.Runs.Where(run => run.Counts && run.Chunk.JobId == jobId))
                    _decisions.Add(new CancelRun<TWorker>(lane.Worker, run.Chunk.Id));
            }
            foreach (var chunk in _chunks.Values.Where(chunk => chunk.JobId == jobId).ToList()) Finish(chunk);
        }
        return Decided(now);
    }

    /// <summary>A worker's outputs for a chunk; counted once, and only from a worker the chunk was sent to.</summary>
    /// <param name="runTime">How long the worker took to run it, by its own clock; zero when unknown. It sizes the worker's pipeline.</param>
    public IReadOnlyList<TableDecision> Completed(TWorker worker, long chunkId, Array? outputs, int pid, TimeSpan now, TimeSpan runTime = default)
    {
        // Outputs that do not match the inputs would leave some without an outcome or give others
        // two: such an answer is treated as lost (the worker's next answer or the deadline charges it).
        if (_chunks.TryGetValue(chunkId, out var sent) && outputs is not null && outputs.Length != sent.Inputs.Count) return Decided(now);
        if (TakeAnswer(worker, chunkId, now, runTime) is { } chunk)
        {
            Finish(chunk);
            _decisions.Add(new DeliverResults(chunk.JobId, chunk.FirstIndex, chunk.Inputs.Count, outputs, pid));
        }
        return Decided(now);
    }

    /// <summary>
    /// A worker's job threw at <paramref name="offset"/>: the outputs before it are delivered, the
    /// failed input is charged a try, and the inputs after it go back to the queue uncharged.
    /// </summary>
    public IReadOnlyList<TableDecision> Failed(
        TWorker worker, long chunkId, int offset, Array? completedOutputs, JobError error, bool retryable, int pid, TimeSpan now)
    {
        // Checked before the answer leaves the lane (taken, then ignored, it would strand its chunk
        // running on no worker): an answer that does not fit its chunk is treated as lost.
        if (_chunks.TryGetValue(chunkId, out var sent) && ((uint)offset >= (uint)sent.Inputs.Count || completedOutputs is not null && completedOutputs.Length != offset))
            return Decided(now);
        if (TakeAnswer(worker, chunkId, now) is { } chunk)
        {
            Finish(chunk);
            if (offset > 0) _decisions.Add(new DeliverResults(chunk.JobId, chunk.FirstIndex, offset, completedOutputs, pid));
            var rest = offset + 1;
            if (rest < chunk.Inputs.Count)
                Enqueue(NewChunk(chunk.JobId, chunk.FirstIndex + rest, chunk.Inputs.Slice(rest, chunk.Inputs.Count - rest), chunk.Tries, chunk.Trace), first: true);
            var failed = NewChunk(chunk.JobId, chunk.FirstIndex + offset, chunk.Inputs.Slice(offset, 1), chunk.Tries, chunk.Trace);
            ChargeEach(failed, Charge.JobThrew, _ => error, retryable);
        }
        return Decided(now);
    }

    /// <summary>
    /// The chunk, or its outputs, cannot cross the wire to or from <paramref name="worker"/>
    /// (<paramref name="why"/>: too large, or not serializable; <paramref name="reason"/>). <paramref name="answered"/>: the worker said so, in its turn;
    /// otherwise the chunk was withheld before it was sent, and only its own run leaves the lane.
    /// A chunk of several inputs is split in two and queued again uncharged; a single input is
    /// reported failed, as no try could ever succeed.
    /// </summary>
    public IReadOnlyList<TableDecision> Refused(TWorker worker, long chunkId, Charge why, string reason, bool answered, TimeSpan now)
    {
        var chunk = answered ? TakeAnswer(worker, chunkId, now) : Withdraw(worker, chunkId);
        if (chunk is not null)
        {
            Finish(chunk);
            var length = chunk.Inputs.Count;
            if (length == 1)
            {
                _decisions.Add(new ReportFailure(chunk.JobId, chunk.FirstIndex, chunk.Inputs[0],
                    JobError.Of(why.ToString(), $"input #{chunk.FirstIndex}: {reason}"), chunk.Tries + 1));
            }
            else
            {
                var half = length / 2;
                var front = NewChunk(chunk.JobId, chunk.FirstIndex, chunk.Inputs.Slice(0, half), chunk.Tries, chunk.Trace);
                var back = NewChunk(chunk.JobId, chunk.FirstIndex + half, chunk.Inputs.Slice(half, length - half), chunk.Tries, chunk.Trace);
                Enqueue(back, first: true);
                Enqueue(front, first: true);
            }
        }
        return Decided(now);
    }

    /// <summary>No worker will take them: every queued input is reported failed with <paramref name="reason"/>.</summary>
    public IReadOnlyList<TableDecision> FailQueued(string errorType, string reason, TimeSpan now)
    {
        while (_queue.First?.Value is { } chunk)
        {
            Finish(chunk);
            for (var offset = 0; offset < chunk.Inputs.Count; offset++)
                _decisions.Add(new ReportFailure(chunk.JobId, chunk.FirstIndex + offset, chunk.Inputs[offset], JobError.Of(errorType, reason), chunk.Tries));
        }
        return Decided(now);
    }

    private ChunkTask NewChunk(long jobId, long firstIndex, ArrayRegion inputs, int tries, ActivityContext trace)
    {
        var chunk = new ChunkTask(++_lastChunkId, jobId, firstIndex, inputs, tries) { Trace = trace };
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
}
