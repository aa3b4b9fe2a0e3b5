using System.Globalization;
using Actors.Buffer;
using Akka.Actor;

namespace ProducerConsumer;

/// <summary>
/// The buffer's observer in the scenario: turns <see cref="ItemsAdded{T}"/> / <see cref="ItemsRemoved{T}"/>
/// into the course's lines (<c>Added 3 to list. Current list: [2, 3]</c>), in the order the buffer
/// applied them, and writes <c>Final list: […]</c> when the buffer completes.
/// </summary>
public sealed class BufferTraceWriter : ReceiveActor
{
    private readonly TextWriter _output;
    private readonly TaskCompletionSource _finished;
    private IReadOnlyList<int> _contents = [];

    public BufferTraceWriter(TextWriter output, TaskCompletionSource finished)
    {
        _output = output;
        _finished = finished;

        Receive<BufferProtocol.ItemsAdded<int>>(HandleAdded);
        Receive<BufferProtocol.ItemsRemoved<int>>(HandleRemoved);
        Receive<BufferProtocol.Completed>(HandleCompleted);
    }

    public static Props Props(TextWriter output, TaskCompletionSource finished) =>
        Akka.Actor.Props.Create(() => new BufferTraceWriter(output, finished));

    // One line per item, as the seed prints; for a batch the list after each single item is the
    // final contents without the items that came after it.
    private void HandleAdded(BufferProtocol.ItemsAdded<int> added)
    {
        var contents = added.Contents;
        for (var i = 0; i < added.Items.Count; i++)
        {
            var shown = contents.Take(contents.Count - (added.Items.Count - 1 - i));
            _output.WriteLine($"Added {Format(added.Items[i])} to list. Current list: {FormatList(shown)}");
        }

        _contents = contents;
    }

    // For a batch removal the list after each single item still holds the batch's later items.
    private void HandleRemoved(BufferProtocol.ItemsRemoved<int> removed)
    {
        for (var i = 0; i < removed.Items.Count; i++)
        {
            var shown = removed.Items.Skip(i + 1).Concat(removed.Contents);
            _output.WriteLine($"Removed {Format(removed.Items[i])} from list. Current list: {FormatList(shown)}");
        }

        _contents = removed.Contents;
    }

    private void HandleCompleted(BufferProtocol.Completed completed)
    {
        _output.WriteLine($"Final list: {FormatList(_contents)}");
        _output.Flush();
        _finished.TrySetResult();
    }

    private static string FormatList(IEnumerable<int> items) => $"[{string.Join(", ", items.Select(Format))}]";

    private static string Format(int item) => item.ToString(CultureInfo.InvariantCulture);
}
