using Actors.Protocol;
using Akka.Actor;

namespace Actors.Pool;

/// <summary>
/// The chunks one command of the manager sends to each remote worker, gathered into as few
/// <see cref="RunChunks"/> as fit <c>batchBytes</c> of payload (even a chunk alone: the worker may
/// then gather its answers too). Order is kept per worker: whatever else the manager sends a worker
/// goes after the chunks gathered for it before (<see cref="Flush(IActorRef)"/> first), as a probe must.
/// </summary>
internal sealed class OutgoingChunks(IActorRef self, long batchBytes)
{
    private readonly Dictionary<IActorRef, Batch> _pending = new();
    /// <summary>Workers with something pending, in the order they were first given it.</summary>
    private readonly List<IActorRef> _workers = new();

    /// <summary>Adds a chunk of <paramref name="bytes"/> of payload for <paramref name="worker"/>; a full batch goes first.</summary>
    public void Add(IActorRef worker, RunChunk run, long bytes)
    {
        if (!_pending.TryGetValue(worker, out var batch))
        {
            _pending[worker] = batch = new Batch();
            _workers.Add(worker);
        }
        else if (batch.Bytes + bytes > batchBytes) Send(worker, batch);
        batch.Chunks.Add(run);
        batch.Bytes += bytes;
    }

    /// <summary>Sends what is pending for <paramref name="worker"/>, before anything else is sent to it.</summary>
    public void Flush(IActorRef worker)
    {
        if (_pending.TryGetValue(worker, out var batch)) Send(worker, batch);
    }

    /// <summary>Sends everything pending.</summary>
    public void FlushAll()
    {
        foreach (var worker in _workers) Send(worker, _pending[worker]);
        _pending.Clear();
        _workers.Clear();
    }

    private void Send(IActorRef worker, Batch batch)
    {
        if (batch.Chunks.Count == 0) return;
        worker.Tell(new RunChunks(batch.Chunks.ToArray()), self);
        batch.Chunks.Clear();
        batch.Bytes = 0;
    }

    private sealed class Batch
    {
        public List<RunChunk> Chunks { get; } = new();

        public long Bytes { get; set; }
    }
}
