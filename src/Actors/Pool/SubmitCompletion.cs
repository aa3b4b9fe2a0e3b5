using System.Diagnostics;
using Actors.Telemetry;

namespace Actors.Pool;

/// <summary>
/// One submit's outcome, settled once by whichever comes first — its result, its failure, its
/// caller's cancellation — with its span (when traced) ended by the same step, before the caller can
/// see the outcome: no continuation per submit to end it later.
/// </summary>
/// <typeparam name="TOut">The submit's output.</typeparam>
internal sealed class SubmitCompletion<TOut>(Activity? span) : TaskCompletionSource<TOut>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    /// <summary>1 once an outcome was claimed.</summary>
    private int _settled;

    /// <summary>The submit's span, or null when it is not traced.</summary>
    public Activity? Span { get; } = span;

    /// <summary>Settles with <paramref name="output"/>; false when the submit already had its outcome.</summary>
    public bool Succeed(TOut output)
    {
        if (!Claim(errorType: null)) return false;
        TrySetResult(output);
        return true;
    }

    /// <summary>Settles with <paramref name="error"/>; false when the submit already had its outcome.</summary>
    public bool Fail(Exception error)
    {
        if (!Claim(error.GetType().FullName)) return false;
        TrySetException(error);
        return true;
    }

    /// <summary>The caller stopped waiting; false when the submit already had its outcome.</summary>
    public bool Cancel(CancellationToken cancellationToken)
    {
        if (!Claim(typeof(OperationCanceledException).FullName)) return false;
        TrySetCanceled(cancellationToken);
        return true;
    }

    private bool Claim(string? errorType)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0) return false;
        if (Span is not null) CallTelemetry.EndSubmit(Span, errorType);
        return true;
    }
}
