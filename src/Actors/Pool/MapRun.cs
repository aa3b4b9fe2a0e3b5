using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Actors.Pool.Tasks;
using Actors.Protocol;
using Actors.Telemetry;
using Akka.Actor;

namespace Actors.Pool;

/// <summary>
/// One map call, seen from the caller's side: it pulls inputs lazily and keeps a bounded window of
/// them submitted ahead of the results, and yields the manager's result messages whole
/// (<see cref="ResultsReady"/> batches, and <see cref="InputFailed"/> when failures are collected)
/// in input order when ordered, else as they arrive. An input that failed without failures
/// collected throws the job's exception (<see cref="PoolFailure"/>) in its turn: when ordered,
/// after the results before it. An input sequence that throws is Python's <c>imap</c>: the inputs
/// it gave run to their outcomes, which are yielded, and then its exception is thrown.
/// </summary>
internal sealed class MapRun<TIn>(
    PoolLifetime lifetime, ActorSystem system, IActorRef manager, string sinkName, long jobId, JobPolicy policy, Array? destination,
    ChunkSource<TIn> source, long? total, int chunkSize, Func<long> window, bool collectFailures, IProgress<MapProgress>? progress,
    PoolTags tags)
{
    private readonly HashSet<int> _pids = new();
    private long _completed;
    private long _failed;

    /// <exception cref="ObjectDisposedException">The pool is disposed, or was while the map ran.</exception>
    /// <exception cref="InvalidOperationException">The pool is completing: it takes no more work.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async IAsyncEnumerable<IJobOutcome> RunAsync(bool ordered, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var lease = lifetime.Enter(cancellationToken);
        var token = lease.Token;
        // Waits end when results come, inputs come, or the call is cancelled (by its caller or by the
        // pool's disposal, told apart by lease.Explain).
        var cancelled = Task.Delay(Timeout.Infinite, token);
        var channel = Channel.CreateUnbounded<IJobOutcome>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var sink = system.ActorOf(ResultSink.Props(channel.Writer), sinkName);
        var telemetry = CallTelemetry.StartMap(tags, policy.JobType, total);
        string? endedWith = "_OTHER"; // what the map's span and duration say it ended with, unless told better below
        manager.Tell(new StartJob(jobId, policy, sink, destination));

        var early = new Dictionary<long, IJobOutcome>(); // ordered: batches that arrived before their turn
        long submitted = 0, delivered = 0, next = 0;
        var inputDone = false;
        ExceptionDispatchInfo? inputError = null; // what the input sequence threw: thrown once the inputs it gave have their outcomes
        Task<ArrayRegion?>? nextChunk = null; // asked of the input and not ready yet
        Task<bool>? resultsWaiting = null;
        try
        {
            while (true)
            {
                var ahead = window();
                while (!inputDone && submitted - delivered < ahead)
                {
                    nextChunk ??= source.NextAsync(chunkSize, token).AsTask();
                    // An input stream that is not ready must not hold back results: it may be waiting for them.
                    if (!nextChunk.IsCompleted) break;
                    if (nextChunk.IsCanceled) throw lease.Explain(new OperationCanceledException(token));
                    if (nextChunk.IsFaulted)
                    {
                        if (token.IsCancellationRequested) throw lease.Explain(new OperationCanceledException(token));
                        inputError = ExceptionDispatchInfo.Capture(nextChunk.Exception!.InnerException!);
                        nextChunk = null;
                        inputDone = true;
                        break;
                    }
                    var chunk = await nextChunk.ConfigureAwait(false);
                    nextChunk = null;
                    if (chunk is not { } region) inputDone = true;
                    else
                    {
                        manager.Tell(new SubmitChunk(jobId, submitted, region) { Trace = telemetry?.Context ?? default });
                        submitted += region.Count;
                    }
                }
                if (inputDone && delivered == submitted)
                {
                    endedWith = inputError is null ? null : inputError.SourceException.GetType().FullName;
                    inputError?.Throw();
                    break;
                }

                if (!channel.Reader.TryRead(out var message))
                {
                    resultsWaiting ??= channel.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
                    var inputWanted = nextChunk is not null && submitted - delivered < ahead;
                    await (inputWanted ? Task.WhenAny(resultsWaiting, nextChunk!, cancelled) : Task.WhenAny(resultsWaiting, cancelled)).ConfigureAwait(false);
                    if (token.IsCancellationRequested) throw lease.Explain(new OperationCanceledException(token));
                    if (resultsWaiting.IsCompleted) resultsWaiting = null;
                    continue;
                }
                if (message is InputFailed { } failed && !collectFailures) endedWith = failed.Error.Type;
                if (!ordered)
                {
                    if (message is InputFailed failure && !collectFailures) PoolFailure.Throw(failure.ToFailure());
                    Count(message);
                    delivered += message.Count;
                    yield return message;
                }
                else
                {
                    early[message.FirstIndex] = message;
                    while (early.Remove(next, out var ready))
                    {
                        // In its turn, as Python's imap raises: the outputs before it have been yielded.
                        if (ready is InputFailed failure && !collectFailures) PoolFailure.Throw(failure.ToFailure());
                        Count(ready);
                        next += ready.Count;
                        delivered += ready.Count;
                        yield return ready;
                    }
                }
                progress?.Report(new MapProgress(_completed, _failed, total, _pids));
            }
        }
        finally
        {
            telemetry?.End(token.IsCancellationRequested ? typeof(OperationCanceledException).FullName : endedWith);
            manager.Tell(new EndJob(jobId));
            system.Stop(sink);
            channel.Writer.TryComplete();
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Counts an outcome's inputs towards the progress.</summary>
    private void Count(IJobOutcome outcome)
    {
        if (outcome is ResultsReady results)
        {
            _completed += results.Count;
            _pids.Add(results.Pid);
        }
        else _failed++;
    }
}
