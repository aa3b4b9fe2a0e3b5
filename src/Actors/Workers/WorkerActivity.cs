using Akka.Actor;

namespace Actors.Workers;

/// <summary>
/// What the pool workers living in one actor system are doing, counted as they do it: how many are
/// alive, the chunks they are running and have finished, and how often they were restarted. A worker
/// node reports it to whoever asks for its status (<c>actors cluster status</c>); in any other
/// process it is simply never read.
/// </summary>
internal sealed class WorkerActivity : IExtension
{
    private long _workers;
    private long _running;
    private long _chunksDone;
    private long _inputsDone;
    private long _chunksFailed;
    private long _restarts;

    /// <summary>The counters of <paramref name="system"/>.</summary>
    public static WorkerActivity For(ActorSystem system) => system.WithExtension<WorkerActivity, Provider>();

    /// <summary>The counters now (each read on its own: a reading may be a few increments apart from another).</summary>
    public WorkerActivitySnapshot Read() => new(
        Interlocked.Read(ref _workers), Interlocked.Read(ref _running), Interlocked.Read(ref _chunksDone),
        Interlocked.Read(ref _inputsDone), Interlocked.Read(ref _chunksFailed), Interlocked.Read(ref _restarts));

    internal void WorkerStarted() => Interlocked.Increment(ref _workers);

    internal void WorkerStopped() => Interlocked.Decrement(ref _workers);

    internal void ChunkStarted() => Interlocked.Increment(ref _running);

    internal void ChunkDone(int inputs)
    {
        Interlocked.Decrement(ref _running);
        Interlocked.Increment(ref _chunksDone);
        Interlocked.Add(ref _inputsDone, inputs);
    }

    internal void ChunkFailed()
    {
        Interlocked.Decrement(ref _running);
        Interlocked.Increment(ref _chunksFailed);
    }

    internal void WorkerRestarted() => Interlocked.Increment(ref _restarts);

    private sealed class Provider : ExtensionIdProvider<WorkerActivity>
    {
        public override WorkerActivity CreateExtension(ExtendedActorSystem system) => new();
    }
}

/// <summary>The counters of <see cref="WorkerActivity"/> at one moment.</summary>
/// <param name="Workers">Pool workers alive in this actor system.</param>
/// <param name="ChunksRunning">Chunks started and not yet answered.</param>
/// <param name="ChunksDone">Chunks answered with their outputs.</param>
/// <param name="InputsDone">Inputs of those chunks.</param>
/// <param name="ChunksFailed">Chunks answered with a failure (the job threw, or is unknown here).</param>
/// <param name="Restarts">Workers restarted by their supervisor after a job threw.</param>
internal sealed record WorkerActivitySnapshot(long Workers, long ChunksRunning, long ChunksDone, long InputsDone, long ChunksFailed, long Restarts);
