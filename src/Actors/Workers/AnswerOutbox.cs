using System.Diagnostics;
using Actors.Protocol;
using Akka.Actor;

namespace Actors.Workers;

/// <summary>
/// The answers a worker has given for chunks of one batch and not yet sent: short chunks' answers
/// travel together in one <see cref="ChunkAnswers"/> instead of a message each. Nothing is held
/// longer than <c>hold</c> (checked before each chunk starts), nor past the end of the batch, nor
/// while the worker waits on an async job: an answer never waits behind a long chunk.
/// </summary>
internal sealed class AnswerOutbox(IActorRef self, TimeSpan hold)
{
    private readonly List<IChunkAnswer> _held = new();
    private IActorRef? _manager;
    private long _oldest;

    /// <summary>Takes an answer for <paramref name="manager"/>; sends it at once when answers are not held.</summary>
    public void Give(IActorRef manager, IChunkAnswer answer)
    {
        if (_manager is not null && !_manager.Equals(manager)) Flush();
        if (_held.Count == 0) _oldest = Stopwatch.GetTimestamp();
        _manager = manager;
        _held.Add(answer);
        if (hold <= TimeSpan.Zero) Flush();
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
        _manager = null;
    }
}
