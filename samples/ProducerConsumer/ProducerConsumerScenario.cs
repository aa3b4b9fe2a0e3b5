using Actors.Buffer;
using Akka.Actor;

namespace ProducerConsumer;

/// <summary>
/// Options of <see cref="ProducerConsumerScenario"/>; the defaults reproduce the course program
/// (ten numbers, a producer every 100 ms, a consumer every 150 ms).
/// </summary>
public sealed record ProducerConsumerOptions
{
    /// <summary>How many numbers the producer adds (0 … Count-1).</summary>
    public int Count { get; init; } = 10;

    /// <summary>Time between two puts of the producer.</summary>
    public TimeSpan ProducerInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Time between two takes of the consumer.</summary>
    public TimeSpan ConsumerInterval { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Most numbers the buffer holds; the producer waits beyond it (the course's list has no bound).</summary>
    public int Capacity { get; init; } = BufferSettings.Default.Capacity;
}

/// <summary>
/// The course's question 4 answered with actors: a producer actor adds numbers to a
/// <see cref="BufferActor{T}"/>, a consumer actor removes them, and the buffer's observer prints each
/// change in the course's format, in the order the buffer applied it. No lock exists: the buffer
/// actor is the only owner of the list.
/// </summary>
public static class ProducerConsumerScenario
{
    /// <summary>
    /// Runs the scenario and returns once the producer is done, the consumer has drained the buffer
    /// and <c>Final list: []</c> is written.
    /// </summary>
    /// <param name="system">The actor system to run in; the scenario stops every actor it started.</param>
    /// <param name="output">Where the lines go; only one actor writes to it at a time.</param>
    /// <param name="options">Count, intervals and capacity; the course's values when <see langword="null"/>.</param>
    /// <param name="ct">Stops the scenario early with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="InvalidOperationException">The buffer or the trace actor stopped before the end.</exception>
    public static async Task RunAsync(
        ActorSystem system,
        TextWriter output,
        ProducerConsumerOptions? options = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new ProducerConsumerOptions();
        Validate(options);

        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var trace = system.ActorOf(BufferTraceWriter.Props(output, finished));
        var buffer = system.ActorOf(BufferActor<int>.Props(
            BufferSettings.Default with { Capacity = options.Capacity },
            producers: 1,
            observer: trace));
        var consumer = system.ActorOf(NumberConsumer.Props(buffer, options.ConsumerInterval));
        var producer = system.ActorOf(NumberProducer.Props(buffer, options.Count, options.ProducerInterval));
        // The buffer and the trace live until the scenario ends: if either stops first, nothing will
        // write the final line, and the scenario says so instead of waiting for it forever.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var stoppedEarly = Task.WhenAny(buffer.WatchAsync(watching.Token), trace.WatchAsync(watching.Token));
        try
        {
            if (await Task.WhenAny(finished.Task, stoppedEarly).WaitAsync(ct).ConfigureAwait(false) != finished.Task)
                throw new InvalidOperationException("the buffer or its trace stopped before the consumer drained the buffer; see the log for why");
        }
        finally
        {
            await watching.CancelAsync().ConfigureAwait(false);
            foreach (var actor in new[] { producer, consumer, buffer, trace })
            {
                system.Stop(actor);
            }
        }
    }

    private static void Validate(ProducerConsumerOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count, "options.Count");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ProducerInterval, TimeSpan.Zero, "options.ProducerInterval");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ConsumerInterval, TimeSpan.Zero, "options.ConsumerInterval");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1, "options.Capacity");
    }
}
