using System.Diagnostics;
using Actors.Pool.Tasks;
using Actors.Protocol;

namespace Actors.Telemetry;

/// <summary>
/// What one pool's manager reports: its counters and histograms, recorded as its table decides, and
/// the values its gauges read. Owned by the manager actor; the gauges read fields it writes on each
/// tick, never the table itself. Every recording first checks that someone listens.
/// </summary>
internal sealed class PoolTelemetry : IDisposable
{
    /// <summary>Each open job's tags: the pool's, and the job's name.</summary>
    private readonly Dictionary<long, KeyValuePair<string, object?>> _jobs = new();
    private readonly KeyValuePair<string, object?> _pool;
    private readonly KeyValuePair<string, object?> _mode;
    private readonly TagList _poolTags;
    private readonly TagList[] _workerTags;
    private int _inFlight, _queued, _hosts, _ready, _busy, _stuck;
    private bool _stopping;

    public PoolTelemetry(string pool, string mode)
    {
        _pool = new(TagNames.Pool, pool);
        _mode = new(TagNames.Mode, mode);
        _poolTags = new TagList { _pool, _mode };
        _workerTags = new[] { "ready", "busy", "stuck" }.Select(state => new TagList { _pool, _mode, { TagNames.WorkerState, state } }).ToArray();
        Spans = new ChunkSpans();
        PoolInstruments.Track(this);
    }

    /// <summary>The spans of the chunks this pool has sent.</summary>
    public ChunkSpans Spans { get; }

    internal TagList PoolTags => _poolTags;

    internal int InFlight => Volatile.Read(ref _inFlight);

    internal int Queued => Volatile.Read(ref _queued);

    internal int Hosts => Volatile.Read(ref _hosts);

    internal (int Ready, int Busy, int Stuck) Workers => (Volatile.Read(ref _ready), Volatile.Read(ref _busy), Volatile.Read(ref _stuck));

    internal TagList WorkerTags(string state) => _workerTags[state switch { "ready" => 0, "busy" => 1, _ => 2 }];

    /// <summary>A job opened: its outcomes are tagged with its job's name.</summary>
    /// <param name="jobType">The job's assembly-qualified type name.</param>
    public void JobStarted(long jobId, string jobType) => _jobs[jobId] = new(TagNames.Job, JobName(jobType));

    public void JobEnded(long jobId)
    {
        _jobs.Remove(jobId);
        Spans.JobEnded(jobId);
    }

    /// <summary>Outputs of <paramref name="inputs"/> inputs handed to their caller.</summary>
    public void Completed(long jobId, int inputs)
    {
        if (PoolInstruments.InputsCompleted.Enabled) PoolInstruments.InputsCompleted.Add(inputs, JobTags(jobId));
    }

    /// <summary>An input reported failed to its caller.</summary>
    public void Failed(long jobId)
    {
        if (PoolInstruments.InputsFailed.Enabled) PoolInstruments.InputsFailed.Add(1, JobTags(jobId));
    }

    /// <summary>Inputs the table sent again, with why.</summary>
    public void Retried(IEnumerable<InputsRetried> retried)
    {
        if (!PoolInstruments.InputsRetried.Enabled) return;
        foreach (var retry in retried)
        {
            var tags = JobTags(retry.JobId);
            tags.Add(TagNames.RetryReason, ReasonName(retry.Reason));
            PoolInstruments.InputsRetried.Add(retry.Inputs, tags);
        }
    }

    /// <summary>
    /// <paramref name="worker"/> answered for a chunk: its span ends, and a completed chunk's run time
    /// is recorded per input. Called before the table takes the answer (it still knows the chunk).
    /// </summary>
    public void Answered<TWorker>(IChunkAnswer answer, Akka.Actor.IActorRef worker, TaskTable<TWorker> table) where TWorker : notnull
    {
        switch (answer)
        {
            case ChunkCompleted done:
                if (PoolInstruments.InputDuration.Enabled && done.RunTime > TimeSpan.Zero && table.TryDescribe(done.ChunkId, out var jobId, out var inputs) && inputs > 0)
                    PoolInstruments.InputDuration.Record(done.RunTime.TotalSeconds / inputs, JobTags(jobId));
                Spans.Answered(done.ChunkId, worker, done.Pid, "completed", error: null);
                break;
            case ChunkFailed failed:
                Spans.Answered(failed.ChunkId, worker, failed.Pid, "failed", failed.Error.Type);
                break;
            case ChunkRefused refused:
                Spans.Answered(refused.ChunkId, worker, refused.Pid, "refused", "TooLarge");
                break;
        }
    }

    /// <summary>A membership child now counts <paramref name="now"/> hosts where it counted <paramref name="before"/>; <paramref name="total"/> is the pool's sum.</summary>
    public void HostsCounted(int before, int now, int total)
    {
        Volatile.Write(ref _hosts, total);
        if (now > before && PoolInstruments.HostsStarted.Enabled) PoolInstruments.HostsStarted.Add(now - before, _poolTags);
        // Hosts that go because the pool stops them are not lost.
        if (now < before && !_stopping && PoolInstruments.HostsLost.Enabled) PoolInstruments.HostsLost.Add(before - now, _poolTags);
    }

    /// <summary>The pool stops its workers: the hosts that go from now on were not lost.</summary>
    public void Stopping() => _stopping = true;

    /// <summary>Stores what the gauges read, from the table's counts now.</summary>
    public void Observe(TableCounts counts, Func<WorkerStates> states)
    {
        Volatile.Write(ref _inFlight, counts.InFlight);
        Volatile.Write(ref _queued, counts.Queued);
        var (ready, busy, stuck) = states();
        Volatile.Write(ref _ready, ready);
        Volatile.Write(ref _busy, busy);
        Volatile.Write(ref _stuck, stuck);
    }

    public void Dispose()
    {
        PoolInstruments.Forget(this);
        Spans.EndAll("cancelled");
    }

    private TagList JobTags(long jobId)
    {
        var tags = new TagList { _pool, _mode };
        if (_jobs.TryGetValue(jobId, out var job)) tags.Add(job);
        return tags;
    }

    /// <summary>A job's name as tagged: its type's full name without the assembly.</summary>
    internal static string JobName(string jobType)
    {
        // Assembly-qualified: the assembly follows the first comma outside a generic's brackets.
        var depth = 0;
        for (var i = 0; i < jobType.Length; i++)
        {
            switch (jobType[i])
            {
                case '[': depth++; break;
                case ']': depth--; break;
                case ',' when depth == 0: return jobType[..i];
            }
        }
        return jobType;
    }

    internal static string ReasonName(RetryReason reason) => reason switch
    {
        RetryReason.JobException => "job_exception",
        RetryReason.WorkerLost => "worker_lost",
        RetryReason.WorkerLeft => "worker_left",
        RetryReason.Timeout => "timeout",
        RetryReason.NoAnswer => "no_answer",
        RetryReason.Rebalanced => "rebalanced",
        _ => "too_large",
    };
}
