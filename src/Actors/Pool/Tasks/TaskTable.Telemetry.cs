namespace Actors.Pool.Tasks;

// What the table tells the pool's telemetry: inputs sent again and why, and what its workers are doing.
internal sealed partial class TaskTable<TWorker>
{
    /// <summary>Inputs sent again since the manager last took them (<see cref="TakeRetries"/>).</summary>
    private readonly List<InputsRetried> _retried = new();

    /// <summary>Whether inputs were sent again since <see cref="TakeRetries"/>.</summary>
    public bool HasRetries => _retried.Count > 0;

    /// <summary>The inputs sent again since the last call, and why; the list is emptied.</summary>
    public InputsRetried[] TakeRetries()
    {
        var retried = _retried.ToArray();
        _retried.Clear();
        return retried;
    }

    /// <summary>The serving workers by state: ready (owes nothing), busy (owes answers), stuck (probed for its silence, or unreachable).</summary>
    public WorkerStates WorkerStates()
    {
        int ready = 0, busy = 0, stuck = 0;
        foreach (var lane in _rotation)
        {
            if (lane.Suspended || lane.Probe is not null) stuck++;
            else if (lane.Runs.Count > 0) busy++;
            else ready++;
        }
        return new WorkerStates(ready, busy, stuck);
    }

    /// <summary>The job and size of a chunk not yet finished.</summary>
    public bool TryDescribe(long chunkId, out long jobId, out int inputs)
    {
        var found = _chunks.TryGetValue(chunkId, out var chunk);
        jobId = chunk?.JobId ?? 0;
        inputs = chunk?.Inputs.Count ?? 0;
        return found;
    }

    private void Retried(long jobId, RetryReason reason, int inputs) => _retried.Add(new InputsRetried(jobId, reason, inputs));

    private static RetryReason ReasonOf(Charge charge) => charge switch
    {
        Charge.JobThrew => RetryReason.JobException,
        Charge.WorkerLost => RetryReason.WorkerLost,
        Charge.TimedOut => RetryReason.Timeout,
        Charge.NoAnswer => RetryReason.NoAnswer,
        _ => RetryReason.TooLarge,
    };
}

/// <summary>Why inputs were sent to a worker again.</summary>
internal enum RetryReason
{
    /// <summary>The job threw, and the policy retries job exceptions.</summary>
    JobException,

    /// <summary>The worker died (its process or node): the chunk it ran was charged, the ones it held went back uncharged.</summary>
    WorkerLost,

    /// <summary>The worker left in order (a pool shrank, a member left): what it held went back uncharged.</summary>
    WorkerLeft,

    /// <summary>The chunk ran past its deadline.</summary>
    Timeout,

    /// <summary>The worker never answered for it: a message was lost.</summary>
    NoAnswer,

    /// <summary>The chunk, or its outputs, could not cross the wire.</summary>
    TooLarge,

    /// <summary>The chunk waited, not started, behind a long one while another worker was idle: it went there, uncharged.</summary>
    Rebalanced,
}

/// <summary><paramref name="Inputs"/> inputs of job <paramref name="JobId"/> sent again, for <paramref name="Reason"/>.</summary>
internal readonly record struct InputsRetried(long JobId, RetryReason Reason, int Inputs);

/// <summary>The serving workers of a table by state.</summary>
internal readonly record struct WorkerStates(int Ready, int Busy, int Stuck);
