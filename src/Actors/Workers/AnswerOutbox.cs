using System.Diagnostics;
using Actors.Protocol;
using Akka.Actor;

namespace Actors.Workers;

/// <summary>
/// The answers a worker has given for chunks that came in batches and not yet sent: short chunks'
/// answers travel together in one <see cref="ChunkAnswers"/> instead of a message each. The worker
/// sends them once the chunks waiting in its mailbox have run, and never holds one longer than
/// <see cref="Hold"/> before starting another chunk, nor past a chunk that ran that long itself, nor
/// while it waits on an async job or answers a probe; and a message gathers no more than
/// <c>batchBytes</c> of payload, so that it stays as small a frame as a chunk.
/// </summary>
internal sealed class AnswerOutbox(IActorRef self, TimeSpan hold, long batchBytes)
{
    /// <summary>How long an answer may wait for others (<c>actors.pool.answer-hold</c>); zero sends each at once.</summary>
    public TimeSpan Hold => hold;

    /// <summary>Whether answers wait to be sent.</summary>
    public bool Holding => _held.Count > 0;

    private readonly List<IChunkAnswer> _held = new();
    private IActorRef? _manager;
    private long _oldest;
    private long _heldBytes;

    /// <summary>Takes an answer of <paramref name="bytes"/> of payload for <paramref name="manager"/>; sends it at once when answers are not held.</summary>
    public void Give(IActorRef manager, IChunkAnswer answer, long bytes = 0)
    {
        if (_manager is not null && !_manager.Equals(manager) || _heldBytes + bytes > batchBytes) Flush();
        if (_held.Count == 0) _oldest = Stopwatch.GetTimestamp();
        _manager = manager;
        _held.Add(answer);
        _heldBytes += bytes;
        if (hold <= TimeSpan.Zero || _heldBytes >= batchBytes) Flush();
    }

    /// <summary>Sends what is held once the oldest has waited <c>hold</c>; called before a chunk starts.</summary>
    public void FlushIfDue()
    {
        if (_held.Count > 0 && Stopwatch.GetElapsedTime(_oldest) >= hold) Flush();
    }

    /// <summary>Sends every held answer: one alone as itself, several as one <see cref="ChunkAnswers"/>.</summary>
    public void Flush()
    {
        if (_held.Count == 0) return;
        _manager!.Tell(_held.Count == 1 ? _held[0] : new ChunkAnswers(_held.ToArray()), self);
        _held.Clear();
        _heldBytes = 0;
        _manager = null;
    }
}
