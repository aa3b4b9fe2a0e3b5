using Actors.Protocol;

namespace Actors.Pool.Tasks;

/// <summary>
/// A chunk of one job's inputs, as the table tracks it: queued (<see cref="Queued"/> set), running
/// (<see cref="Running"/> set), or finished (out of the table, both null). Never two of them.
/// </summary>
internal sealed class ChunkTask(long id, long jobId, long firstIndex, ArrayRegion inputs, int tries)
{
    /// <summary>Names the chunk on the wire; a retry or a split is a new chunk with a new id.</summary>
    public long Id { get; } = id;

    /// <summary>The job whose inputs these are.</summary>
    public long JobId { get; } = jobId;

    /// <summary>The job-wide index of <see cref="Inputs"/>[0].</summary>
    public long FirstIndex { get; } = firstIndex;

    /// <summary>The inputs: a region of a typed array, often the caller's own.</summary>
    public ArrayRegion Inputs { get; } = inputs;

    /// <summary>Tries of these inputs charged so far (a chunk's inputs always share their count).</summary>
    public int Tries { get; } = tries;

    /// <summary>The span its inputs belong to (their map's or submit's); none when untraced. A retry or a split keeps it.</summary>
    public System.Diagnostics.ActivityContext Trace { get; init; }

    /// <summary>Its place in the queue while queued.</summary>
    public LinkedListNode<ChunkTask>? Queued { get; set; }

    /// <summary>The run that counts for it while it runs.</summary>
    public ChunkRun? Running { get; set; }
}

/// <summary>
/// One sending of a chunk to a worker. It stays in the worker's lane until the worker answers for
/// it, even once it no longer counts for its chunk (the chunk finished elsewhere, its job ended, or
/// it timed out and was retried): the worker is still busy with it.
/// </summary>
internal sealed class ChunkRun(ChunkTask chunk)
{
    /// <summary>The chunk sent.</summary>
    public ChunkTask Chunk { get; } = chunk;

    /// <summary>When it must be answered by; null until it is the first counted run of its lane (its worker has started it).</summary>
    public TimeSpan? Deadline { get; set; }

    /// <summary>Whether this run is the one its chunk is waiting for.</summary>
    public bool Counts => Chunk.Running == this;

    /// <summary>
    /// When its worker, told to cancel it at its deadline and still busy with it, is overdue, with
    /// the job's type and timeout as they were then (the job may end meanwhile); null while it has not
    /// timed out, or once said.
    /// </summary>
    public (TimeSpan At, string JobType, TimeSpan Timeout)? Overdue { get; set; }
}

/// <summary>The runs sent to one worker and not yet answered, in the order sent: a worker answers in that order.</summary>
internal sealed class WorkerLane<TWorker>(TWorker worker, TimeSpan now)
{
    public TWorker Worker { get; } = worker;

    public LinkedList<ChunkRun> Runs { get; } = new();

    /// <summary>When the worker last answered, or was last given work while it owed nothing.</summary>
    public TimeSpan LastHeard { get; set; } = now;

    /// <summary>The probe sent to it and not yet answered, and the last run sent before it.</summary>
    public (long Id, ChunkRun LastBefore)? Probe { get; set; }

    /// <summary>The worker cannot be reached now: it is sent nothing more, and keeps what it holds.</summary>
    public bool Suspended { get; set; }

    /// <summary>How long its chunks take to run, by its own measure (a running estimate); null until one is answered.</summary>
    public TimeSpan? RunTime { get; set; }

    /// <summary>How many runs it may hold now (<see cref="PipelineDepth"/>).</summary>
    public int Depth { get; set; }
}
