namespace Actors.Pool;

/// <summary>How one map call runs; anything left null comes from <see cref="PoolSettings"/>.</summary>
public sealed record MapOptions
{
    /// <summary>Inputs per chunk; null chooses from the input count, as Python's <c>Pool.map</c> does.</summary>
    public int? ChunkSize { get; init; }

    /// <summary>Tries per input before it is reported as failed (<c>actors.pool.max-attempts</c> when null).</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>
    /// Whether an input whose job threw is tried again, up to <see cref="MaxAttempts"/>
    /// (<c>actors.pool.retry-job-exceptions</c> when null). An input whose worker died, or that
    /// timed out, is always tried again: only a job's own exception may have side effects to repeat.
    /// </summary>
    public bool? RetryJobExceptions { get; init; }

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
/// <param name="Input">The input as text, whole (<see cref="ToString"/> shows at most <see cref="MostInputShown"/> characters of it).</param>
/// <param name="ErrorType">The full name of the exception's type (or of the pool's own error, such as <c>WorkerLost</c>).</param>
public sealed record TaskFailure(long Index, string Input, string ErrorType, string Message, int Attempts)
{
    /// <summary>The most characters of the input that <see cref="ToString"/> (and so an exception's message) shows.</summary>
    public const int MostInputShown = 200;

    /// <summary>The most characters of the error's message that <see cref="ToString"/> shows.</summary>
    public const int MostMessageShown = 2000;

    /// <summary>The input itself, the caller's own object (inputs never leave the caller's process for good: the pool keeps them until their outcome).</summary>
    public object? InputValue { get; init; }

    /// <summary>Where the job threw, as text; from another process too. Null for errors the pool reports itself.</summary>
    public string? StackTrace { get; init; }

    /// <summary>
    /// The exception: the job's own object when it ran in this process; across processes, one of
    /// the same type when that is a well-known .NET type (with the worker's stack trace as its
    /// remote stack trace), else a <see cref="RemoteJobException"/>.
    /// </summary>
    public Exception? Exception { get; init; }

    /// <summary>One line of bounded length: a 50 MB input shows as its first <see cref="MostInputShown"/> characters, an ellipsis and its length.</summary>
    public override string ToString() =>
        $"input #{Index} ({Abridged(Input, MostInputShown)}) failed after {Attempts} attempt(s): {ErrorType}: {Abridged(Message, MostMessageShown)}";

    private static string Abridged(string text, int most) =>
        text.Length <= most ? text : $"{text[..most]}… ({text.Length:N0} characters)";
}

/// <summary>
/// A map, a submit or a stream failed because an input failed on its last try for a reason of the
/// pool's own: it ran past its timeout, its worker was lost, its output could not cross the wire,
/// no worker is left. (When the job itself threw, the call throws the job's exception instead,
/// marked with its input: see <see cref="PoolFailure"/>.) Its message is bounded whatever the input's size.
/// </summary>
public sealed class PoolTaskException(TaskFailure failure) : Exception(failure.ToString(), failure.Exception)
{
    /// <summary>Which input failed, how often it was tried, and why.</summary>
    public TaskFailure Failure { get; } = failure;
}

/// <summary>A job threw, in another process, an exception whose type this process does not rebuild; its type, message and stack trace are kept as text.</summary>
public sealed class RemoteJobException(string type, string message, string remoteStackTrace) : Exception($"{type}: {message}")
{
    /// <summary>The full name of the exception's type in the worker.</summary>
    public string RemoteType { get; } = type;

    /// <summary>Where it was thrown, in the worker.</summary>
    public string RemoteStackTrace { get; } = remoteStackTrace;

    public override string? StackTrace => RemoteStackTrace;
}

/// <summary>The pool has no workers and expects none (its worker processes cannot start, its nodes are gone).</summary>
public sealed class PoolUnavailableException(string reason) : Exception($"the pool has no workers: {reason}")
{
    /// <summary>Why, as the pool's membership said it.</summary>
    public string Reason { get; } = reason;
}
