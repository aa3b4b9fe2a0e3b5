using System.Collections.Concurrent;
using System.Diagnostics;
using Actors.Pool.Tasks;
using Actors.Protocol;
using Actors.Telemetry;
using Akka.Actor;

namespace Actors.Pool;

/// <summary>
/// Single submits of one job and policy (Python's <c>apply_async</c>), gathered into chunks on their
/// way to the manager: one open job for all of them, and as many inputs per chunk as are waiting,
/// spread so that every worker still gets a share (a few slow submits go out one or two to a
/// chunk; a burst of quick ones, many to a chunk). Each input still has its own outcome, retries and
/// deadline, exactly once.
/// </summary>
internal sealed class SubmitBatcher<TIn, TOut>
{
    /// <summary>The most submits one chunk carries.</summary>
    private const int MaxBatch = 256;

    /// <summary>Chunks per worker a burst is spread over, as automatic chunk sizes are.</summary>
    private const int ChunksPerWorker = 4;

    private readonly ConcurrentQueue<(TIn Input, SubmitCompletion<TOut> Result)> _waiting = new();
    private readonly ConcurrentDictionary<long, SubmitCompletion<TOut>> _running = new();
    private readonly IActorRef _manager;
    private readonly long _jobId;
    private readonly Func<int> _workers;
    private readonly PoolLifetime _lifetime;
    /// <summary>What each submit's span is tagged with: the pool's tags and the job's name.</summary>
    private readonly KeyValuePair<string, object?>[] _spanTags;
    private long _nextIndex;
    private int _draining;

    public SubmitBatcher(ActorSystem system, IActorRef manager, string sinkName, long jobId, JobPolicy policy, Func<int> workers, PoolLifetime lifetime, PoolTags tags)
    {
        _spanTags = CallTelemetry.Tags(tags, PoolTelemetry.JobName(policy.JobType));
        _manager = manager;
        _jobId = jobId;
        _workers = workers;
        _lifetime = lifetime;
        var sink = system.ActorOf(Akka.Actor.Props.Create(() => new OutcomeSink(Deliver)), sinkName);
        manager.Tell(new StartJob(jobId, policy, sink));
        lifetime.Disposing.Register(() =>
        {
            manager.Tell(new EndJob(jobId));
            system.Stop(sink);
            FailAll(new ObjectDisposedException($"pool '{lifetime.Name}'", $"pool '{lifetime.Name}' {lifetime.Ended} before this submit had its result."));
        });
    }

    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    /// <exception cref="InvalidOperationException">The pool is completing.</exception>
    public Task<TOut> SubmitAsync(TIn input, CancellationToken cancellationToken)
    {
        // Counted as running until it has its outcome: completing the pool waits for it.
        _lifetime.EnterSubmit();
        var result = new SubmitCompletion<TOut>(CallTelemetry.StartSubmit(_spanTags));
        if (cancellationToken.CanBeCanceled)
        {
            // Cancelling stops the wait; the input still runs, as a sent message cannot be recalled.
            var registration = cancellationToken.Register(() => Ended(result.Cancel(cancellationToken)));
            _ = result.Task.ContinueWith(static (_, registration) => ((CancellationTokenRegistration)registration!).Dispose(), registration, TaskScheduler.Default);
        }
        _waiting.Enqueue((input, result));
        // Drained on the thread pool, not here: while a caller's loop keeps submitting, the drain
        // finds many waiting and sends them as one chunk.
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0) ThreadPool.UnsafeQueueUserWorkItem(static batcher => batcher.Drain(), this, preferLocal: false);
        return result.Task;
    }

    private void Drain()
    {
        while (true)
        {
            while (!_waiting.IsEmpty)
            {
                var size = Math.Clamp(_waiting.Count / (Math.Max(1, _workers()) * ChunksPerWorker), 1, MaxBatch);
                var inputs = new List<TIn>(size);
                var first = _nextIndex;
                ActivityContext trace = default; // a chunk of submits is traced as part of its first traced submit
                while (inputs.Count < size && _waiting.TryDequeue(out var submit))
                {
                    _running[_nextIndex++] = submit.Result;
                    inputs.Add(submit.Input);
                    if (trace == default && submit.Result.Span is { } span) trace = span.Context;
                }
                if (inputs.Count > 0) _manager.Tell(new SubmitChunk(_jobId, first, ArrayRegion.Of(inputs.ToArray())) { Trace = trace });
            }
            Volatile.Write(ref _draining, 0);
            // A submit that came after the last look and before the flag was down is not left behind.
            if (_waiting.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return;
        }
    }

    private void Deliver(IJobOutcome outcome)
    {
        switch (outcome)
        {
            case ResultsReady results:
                var outputs = (TOut[])results.Outputs!; // a submit has no destination: outputs always come
                for (var i = 0; i < outputs.Length; i++)
                {
                    if (_running.TryRemove(results.FirstIndex + i, out var result)) Ended(result.Succeed(outputs[i]));
                }
                break;
            case InputFailed failed when _running.TryRemove(failed.Index, out var result):
                // Its index in the shared job means nothing to the caller: a submit is input #0.
                var failure = failed.ToFailure() with { Index = 0 };
                // The job's own exception, marked with its input (the awaiting caller sees its stack trace kept).
                Ended(result.Fail(PoolFailure.ToException(failure)));
                break;
        }
    }

    private void FailAll(Exception error)
    {
        while (_waiting.TryDequeue(out var submit)) Ended(submit.Result.Fail(error));
        foreach (var index in _running.Keys)
        {
            if (_running.TryRemove(index, out var result)) Ended(result.Fail(error));
        }
    }

    /// <summary>A submit has its outcome, when <paramref name="now"/> (the first of its endings only).</summary>
    private void Ended(bool now)
    {
        if (now) _lifetime.LeaveSubmit();
    }

    /// <summary>Hands a job's outcomes to the batcher as they come.</summary>
    private sealed class OutcomeSink : ReceiveActor
    {
        public OutcomeSink(Action<IJobOutcome> deliver) => Receive<IJobOutcome>(deliver);
    }
}
