using System.Runtime.ExceptionServices;
using Actors.Protocol;

namespace Actors.Pool;

/// <summary>
/// Turns what a job threw, as it reached the caller, back into an exception: the object itself when
/// it was thrown in this process; across processes, a new one of its type when that type is a
/// well-known .NET exception (never any type a message names: only these are ever instantiated from
/// the wire), with the worker's stack trace as its remote stack trace; else a <see cref="RemoteJobException"/>.
/// </summary>
internal static class JobErrors
{
    private static readonly IReadOnlyDictionary<string, Type> WellKnown = new[]
    {
        typeof(Exception), typeof(ArgumentException), typeof(ArgumentNullException), typeof(ArgumentOutOfRangeException),
        typeof(InvalidOperationException), typeof(NotSupportedException), typeof(NotImplementedException),
        typeof(KeyNotFoundException), typeof(FormatException), typeof(OverflowException), typeof(DivideByZeroException),
        typeof(ArithmeticException), typeof(IndexOutOfRangeException), typeof(NullReferenceException), typeof(InvalidCastException),
        typeof(TimeoutException), typeof(OperationCanceledException), typeof(IOException), typeof(FileNotFoundException),
        typeof(UnauthorizedAccessException), typeof(Jobs.UnknownJobException),
    }.ToDictionary(type => type.FullName!);

    public static Exception? Rebuild(JobError error)
    {
        if (error.Cause is { } original) return original;
        if (error.StackTrace.Length == 0) return null; // the pool's own report (a timeout, a lost worker): the failure says it all
        var type = WellKnown.GetValueOrDefault(error.Type) ?? (error.Pid == Environment.ProcessId ? Loaded(error.Type) : null);
        var rebuilt = type is null ? null : Create(type, error.Message);
        if (rebuilt is null) return new RemoteJobException(error.Type, error.Message, error.StackTrace);
        return ExceptionDispatchInfo.SetRemoteStackTrace(rebuilt, error.StackTrace);
    }

    /// <summary>An exception type of this process by its full name: one of its own jobs threw it (the object itself did not come along).</summary>
    private static Type? Loaded(string fullName) => AppDomain.CurrentDomain.GetAssemblies()
        .Select(assembly => assembly.GetType(fullName, throwOnError: false))
        .FirstOrDefault(type => type is not null && typeof(Exception).IsAssignableFrom(type));

    private static Exception? Create(Type type, string message)
    {
        // (message, inner) first: ArgumentNullException(string) would take the message for a parameter name.
        if (type.GetConstructor([typeof(string), typeof(Exception)]) is { } withInner) return (Exception)withInner.Invoke([message, null]);
        return type.GetConstructor([typeof(string)]) is { } plain ? (Exception)plain.Invoke([message]) : null;
    }
}
