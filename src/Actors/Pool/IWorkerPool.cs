using Actors.Jobs;

namespace Actors.Pool;

/// <summary>
/// What an application does with a pool of workers (the calls of Python's <c>multiprocessing.Pool</c>),
/// for code that receives one, say by dependency injection. <see cref="WorkerPool"/> implements it.
/// </summary>
public interface IWorkerPool : IAsyncDisposable
{
    /// <summary>The pool's name: its manager's actor name and the key of its router in <c>akka.actor.deployment</c>.</summary>
    string Name { get; }

    /// <inheritdoc cref="WorkerPool.GetStatusAsync"/>
    Task<PoolStatus> GetStatusAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="WorkerPool.WhenReadyAsync"/>
    Task<PoolStatus> WhenReadyAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="WorkerPool.MapAsync"/>
    Task<TOut[]> MapAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="WorkerPool.MapOutcomesAsync"/>
    Task<TaskOutcome<TOut>[]> MapOutcomesAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="WorkerPool.MapOrderedAsync"/>
    IAsyncEnumerable<TOut> MapOrderedAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IAsyncEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="WorkerPool.MapUnorderedAsync{TIn, TOut}(IJobContract{TIn, TOut}, IAsyncEnumerable{TIn}, MapOptions?, CancellationToken)"/>
    IAsyncEnumerable<TaskOutcome<TOut>> MapUnorderedAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IAsyncEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="WorkerPool.MapUnorderedAsync{TIn, TOut}(IJobContract{TIn, TOut}, IEnumerable{TIn}, MapOptions?, CancellationToken)"/>
    IAsyncEnumerable<TaskOutcome<TOut>> MapUnorderedAsync<TIn, TOut>(IJobContract<TIn, TOut> job, IEnumerable<TIn> inputs, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="WorkerPool.SubmitAsync"/>
    Task<TOut> SubmitAsync<TIn, TOut>(IJobContract<TIn, TOut> job, TIn input, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="WorkerPool.CompleteAsync"/>
    Task CompleteAsync(CancellationToken cancellationToken = default);
}
