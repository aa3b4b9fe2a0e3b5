using Actors.Protocol;
using Akka.Actor;

namespace Actors.Workers;

/// <summary>
/// What a worker has been sent and not started yet, in the order it came, each with the manager
/// that sent it: chunks, and probes, which wait behind the chunks sent before them (a probe is
/// answered once everything sent before it is). A worker's host may serve several pools, so a queue
/// may hold several managers' chunks.
/// </summary>
internal sealed class WorkQueue
{
    /// <summary>A chunk to run, or a probe to answer, and who sent it.</summary>
    public readonly record struct Item(RunChunk? Run, Probe? Probe, IActorRef Manager);

    /// <summary>The items in the order they came.</summary>
    private readonly Queue<Item> _items = new();

    public int Count => _items.Count;

    public void Add(RunChunk run, IActorRef manager) => _items.Enqueue(new Item(run, null, manager));

    public void Add(Probe probe, IActorRef manager) => _items.Enqueue(new Item(null, probe, manager));

    public bool TryTake(out Item item) => _items.TryDequeue(out item);

    /// <summary>
    /// Empties the queue into the messages that would bring the same items back in the same order:
    /// one <see cref="RunChunks"/> per run of one manager's chunks, each probe as itself.
    /// </summary>
    public IReadOnlyList<Envelope> Drain()
    {
        var envelopes = new List<Envelope>();
        var runs = new List<RunChunk>();
        IActorRef? sender = null;
        void Gathered()
        {
            if (runs.Count > 0) envelopes.Add(new Envelope(new RunChunks(runs.ToArray()), sender!));
            runs.Clear();
        }
        while (_items.TryDequeue(out var item))
        {
            if (item.Run is null || !item.Manager.Equals(sender)) Gathered();
            sender = item.Manager;
            if (item.Run is { } run) runs.Add(run);
            else envelopes.Add(new Envelope(item.Probe!, item.Manager));
        }
        Gathered();
        return envelopes;
    }
}
