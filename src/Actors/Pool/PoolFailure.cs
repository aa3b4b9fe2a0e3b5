using System.Runtime.ExceptionServices;

namespace Actors.Pool;

/// <summary>
/// Which input of a pool call failed, read off the exception the call threw. A call whose job threw
/// throws the job's own exception (as <c>await Task.Run(…)</c> and Python's <c>Pool.map</c> do), so
/// <c>catch (KeyNotFoundException e)</c> fires; the input it failed on rides along in the
/// exception's <see cref="Exception.Data"/> and is read back with <see cref="Of"/> or
/// <see cref="FailedInput"/>. A failure of the pool's own (a timeout, a lost worker, an output the
/// wire cannot carry) is a <see cref="PoolTaskException"/>, which answers the same way.
/// </summary>
/// <example><code>
/// try { await pool.MapAsync(new Lookup(), keys); }
/// catch (KeyNotFoundException e) { Console.WriteLine($"input #{e.FailedInput()!.Index} failed: {e.Message}"); }
/// </code></example>
public static class PoolFailure
{
    /// <summary>The key of the <see cref="TaskFailure"/> in the <see cref="Exception.Data"/> of a job's exception that failed a call.</summary>
    public const string DataKey = "Actors.Pool.TaskFailure";

    /// <summary>The input <paramref name="exception"/> failed a pool call on, or null when it did not come from a pool's input.</summary>
    public static TaskFailure? Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is PoolTaskException pool ? pool.Failure : exception.Data[DataKey] as TaskFailure;
    }

    /// <summary>The input this exception failed a pool call on (index, input, tries, the pool's view of the error); null when it did not come from a pool's input.</summary>
    public static TaskFailure? FailedInput(this Exception exception) => Of(exception);

    /// <summary>
    /// Marks the job's exception with its failure (see <see cref="DataKey"/>); the pool's own failures have no exception to mark.
    /// A job that throws one exception object for several inputs has it marked with the last of them.
    /// </summary>
    internal static TaskFailure Marked(TaskFailure failure)
    {
        if (failure.Exception is { Data.IsReadOnly: false } exception) exception.Data[DataKey] = failure;
        return failure;
    }

    /// <summary>
    /// What a call fails with: the job's exception, marked with its input; else (the pool's own failure,
    /// or an exception whose data cannot be written) a <see cref="PoolTaskException"/> carrying both.
    /// </summary>
    internal static Exception ToException(TaskFailure failure) =>
        Marked(failure).Exception is { } exception && ReferenceEquals(exception.Data[DataKey], failure) ? exception : new PoolTaskException(failure);

    /// <summary>Throws <see cref="ToException"/>, keeping the stack trace the job's exception had (its own, or the worker's).</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    internal static void Throw(TaskFailure failure) => ExceptionDispatchInfo.Throw(ToException(failure));
}
