namespace Actors.Pool;

/// <summary>How one map call runs; anything left null comes from <see cref="PoolSettings"/>.</summary>
public sealed record MapOptions
{
    /// <summary>Inputs per chunk; null chooses from the input count, as Python's <c>Pool.map</c> does.</summary>
    public int? ChunkSize { get; init; }

    /// <summary>Tries per input before it is reported as failed (<c>actors.pool.max-attempts</c> when null).</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>The longest one input may take once its worker has started its chunk; a chunk that is late is tried again input by input.</summary>
    public TimeSpan? TaskTimeout { get; init; }

    /// <summary>Told after every batch of results.</summary>
    public IProgress<MapProgress>? Progress { get; init; }
}

/// <summary>How far a map has come.</summary>
/// <param name="Completed">Inputs with a result.</param>
/// <param name="Failed">Inputs that failed on every try.</param>
/// <param name="Total">All inputs, when their count is known up front.</param>
/// <param name="Pids">The processes the results were computed in.</param>
public sealed record MapProgress(long Completed, long Failed, long? Total, IReadOnlySet<int> Pids);

/// <summary>The outcome of one input: its output, or why it failed.</summary>
public readonly record struct TaskOutcome<TOut>(long Index, TOut? Value, TaskFailure? Failure)
{
    public bool Succeeded => Failure is null;
}

/// <summary>Why input <paramref name="Index"/> failed after <paramref name="Attempts"/> tries.</summary>
public sealed record TaskFailure(long Index, string Input, string ErrorType, string Message, int Attempts)
{
    public override string ToString() =>
        $"input #{Index} ({Input}) failed after {Attempts} attempt(s): {ErrorType}: {Message}";
}

/// <summary>A map failed because one input failed on every try.</summary>
public sealed class PoolTaskException(TaskFailure failure) : Exception(failure.ToString())
{
    public TaskFailure Failure { get; } = failure;
}

/// <summary>The pool has no workers and expects none (its worker processes cannot start, its nodes are gone).</summary>
public sealed class PoolUnavailableException(string reason) : Exception($"the pool has no workers: {reason}")
{
    /// <summary>Why, as the pool's membership said it.</summary>
    public string Reason { get; } = reason;
}
