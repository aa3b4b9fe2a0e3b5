namespace Actors.Jobs;

/// <summary>
/// A unit of work a <see cref="Pool.WorkerPool"/> can run, from <typeparamref name="TIn"/> to
/// <typeparamref name="TOut"/>. Jobs are referred to by their type, so that a worker in another
/// process builds its own instance: an implementation needs a public parameterless constructor
/// and must not rely on state set on the caller's instance.
/// </summary>
public interface IJobContract<in TIn, out TOut>;

/// <summary>A synchronous, CPU-bound job (the course's <c>square</c> and <c>sum(range(n))</c>).</summary>
public interface IJob<in TIn, out TOut> : IJobContract<TIn, TOut>
{
    TOut Run(TIn input);
}

/// <summary>
/// A synchronous job that also runs a whole chunk in one call, for jobs so cheap per input that a
/// call per input would cost more than the work (the course's <c>square</c>). Its chunk method must
/// give the same outputs as <see cref="IJob{TIn,TOut}.Run"/>; when it throws, the chunk runs again
/// input by input to find which input failed, so outcomes stay per input.
/// </summary>
public interface ISpanJob<TIn, TOut> : IJob<TIn, TOut>
{
    /// <summary>Writes the output of each of <paramref name="inputs"/> at the same index of <paramref name="outputs"/>.</summary>
    void Run(ReadOnlySpan<TIn> inputs, Span<TOut> outputs);
}

/// <summary>An asynchronous, I/O-bound job; the inputs of one chunk wait concurrently.</summary>
public interface IAsyncJob<in TIn, TOut> : IJobContract<TIn, TOut>
{
    Task<TOut> RunAsync(TIn input, CancellationToken cancellationToken);
}
