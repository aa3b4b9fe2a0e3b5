using System.Collections.Concurrent;

using Actors.Protocol;

namespace Actors.Jobs;

/// <summary>
/// Runs one job type over a chunk of inputs, given as a typed array. Built once per job type from
/// the type's name, so a worker in another process can run a job it has only heard the name of.
/// </summary>
internal abstract class JobRunner
{
    private static readonly ConcurrentDictionary<Type, (Type In, Type Out, bool IsAsync)> Shapes = new();

    public abstract Type InputType { get; }

    public abstract Type OutputType { get; }

    /// <summary>
    /// Runs every input of <paramref name="inputs"/>. The outputs go into <paramref name="destination"/>
    /// when given (and null is returned), else into a new array. On a failure throws
    /// <see cref="JobInputException"/> with the outputs of the inputs before the failing one (null
    /// when they are in the destination already).
    /// </summary>
    public abstract ValueTask<Array?> RunAsync(ArrayRegion inputs, ArrayRegion? destination, CancellationToken cancellationToken);

    /// <summary>The name a job travels under: its full name and assembly, without version.</summary>
    public static string NameOf(Type jobType) => $"{jobType.FullName}, {jobType.Assembly.GetName().Name}";

    /// <summary>Resolves <paramref name="jobTypeName"/> and builds a runner for a fresh job instance.</summary>
    /// <exception cref="UnknownJobException">The name does not resolve to a usable job type.</exception>
    public static JobRunner Create(string jobTypeName)
    {
        var type = Type.GetType(jobTypeName, throwOnError: false)
            ?? throw new UnknownJobException($"job type '{jobTypeName}' was not found (is its assembly loaded in this process?)");
        var (input, output, isAsync) = ShapeOf(type);
        var runnerType = (isAsync ? typeof(AsyncRunner<,>) : typeof(SyncRunner<,>)).MakeGenericType(input, output);
        object job;
        try
        {
            job = Activator.CreateInstance(type)!;
        }
        catch (Exception e) when (e is MissingMethodException or System.Reflection.TargetInvocationException)
        {
            throw new UnknownJobException($"job type '{jobTypeName}' could not be created: {e.GetBaseException().Message}");
        }
        return (JobRunner)Activator.CreateInstance(runnerType, job)!;
    }

    /// <summary>The input and output types of a job type, and whether it is asynchronous.</summary>
    public static (Type In, Type Out, bool IsAsync) ShapeOf(Type jobType) => Shapes.GetOrAdd(jobType, static type =>
    {
        if (!type.IsClass || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
            throw new UnknownJobException($"job type '{type.FullName}' needs to be a concrete class with a public parameterless constructor");
        foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType))
        {
            var definition = contract.GetGenericTypeDefinition();
            if (definition == typeof(IJob<,>)) return (contract.GenericTypeArguments[0], contract.GenericTypeArguments[1], false);
            if (definition == typeof(IAsyncJob<,>)) return (contract.GenericTypeArguments[0], contract.GenericTypeArguments[1], true);
        }
        throw new UnknownJobException($"type '{type.FullName}' is not a job: it implements neither IJob<TIn, TOut> nor IAsyncJob<TIn, TOut>");
    });

    private sealed class SyncRunner<TIn, TOut>(IJob<TIn, TOut> job) : JobRunner
    {
        public override Type InputType => typeof(TIn);

        public override Type OutputType => typeof(TOut);

        public override ValueTask<Array?> RunAsync(ArrayRegion inputs, ArrayRegion? destination, CancellationToken cancellationToken)
        {
            var (typed, first, count) = ((TIn[])inputs.Array, inputs.Offset, inputs.Count);
            var (outputs, at) = destination is { } region ? ((TOut[])region.Array, region.Offset) : (new TOut[count], 0);
            if (job is ISpanJob<TIn, TOut> spans && TryWholeChunk(spans, typed.AsSpan(first, count), outputs.AsSpan(at, count)))
                return ValueTask.FromResult<Array?>(destination is null ? outputs : null);
            for (var i = 0; i < count; i++)
            {
                try
                {
                    outputs[at + i] = job.Run(typed[first + i]);
                }
                catch (Exception e)
                {
                    throw new JobInputException(i, destination is null ? outputs[..i] : null, e);
                }
            }
            return ValueTask.FromResult<Array?>(destination is null ? outputs : null);
        }
    }

    /// <summary>Runs a chunk in one call; false when it threw, so the chunk runs input by input to name the failing input.</summary>
    private static bool TryWholeChunk<TIn, TOut>(ISpanJob<TIn, TOut> job, ReadOnlySpan<TIn> inputs, Span<TOut> outputs)
    {
        try
        {
            job.Run(inputs, outputs);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private sealed class AsyncRunner<TIn, TOut>(IAsyncJob<TIn, TOut> job) : JobRunner
    {
        public override Type InputType => typeof(TIn);

        public override Type OutputType => typeof(TOut);

        public override async ValueTask<Array?> RunAsync(ArrayRegion inputs, ArrayRegion? destination, CancellationToken cancellationToken)
        {
            var (typed, first, count) = ((TIn[])inputs.Array, inputs.Offset, inputs.Count);
            var pending = new Task<TOut>[count];
            for (var i = 0; i < count; i++) pending[i] = Start(typed[first + i], cancellationToken);
            var (outputs, at) = destination is { } region ? ((TOut[])region.Array, region.Offset) : (new TOut[count], 0);
            for (var i = 0; i < count; i++)
            {
                try
                {
                    outputs[at + i] = await pending[i].ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    throw new JobInputException(i, destination is null ? outputs[..i] : null, e);
                }
            }
            return destination is null ? outputs : null;
        }

        private Task<TOut> Start(TIn input, CancellationToken cancellationToken)
        {
            try
            {
                return job.RunAsync(input, cancellationToken);
            }
            catch (Exception e)
            {
                return Task.FromException<TOut>(e);
            }
        }
    }
}

/// <summary>A job threw for the input at <see cref="Index"/> of its chunk.</summary>
internal sealed class JobInputException(int index, Array? completed, Exception inner)
    : Exception($"job failed on input #{index} of its chunk: {inner.GetType().Name}: {inner.Message}", inner)
{
    public int Index { get; } = index;

    /// <summary>The outputs of the inputs before <see cref="Index"/>; null when they were written in place.</summary>
    public Array? Completed { get; } = completed;
}

/// <summary>A job type that cannot be resolved or created; retrying will not help.</summary>
public sealed class UnknownJobException(string message) : Exception(message);
