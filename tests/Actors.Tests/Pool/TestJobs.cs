using System.Collections.Concurrent;
using Actors.Jobs;

namespace Actors.Tests.Pool;

// Jobs are built by type name inside a worker, so the state a test needs to see or steer across
// attempts lives in static registries, keyed by a value unique to one test that travels in the input.

/// <summary>An input of <see cref="GatedSquareJob"/>: <paramref name="Hold"/> keeps it at its gate until released.</summary>
public sealed record GatedInput(string Gate, long Value, bool Hold = false);

/// <summary>A test's gate: held inputs wait until <see cref="Release"/>; it counts what went through.</summary>
public sealed class Gate : IDisposable
{
    private static readonly ConcurrentDictionary<string, Gate> Open = new(StringComparer.Ordinal);

    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;
    private int _completed;
    private int _cancelled;

    private Gate(string name) => Name = name;

    public string Name { get; }

    /// <summary>Held inputs that have reached the gate (each try counts).</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Inputs the job has finished (each try counts).</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Held inputs whose cancellation reached them at the gate (each try counts).</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    public Task Released => _released.Task;

    public static Gate Create()
    {
        var gate = new Gate($"gate-{Guid.NewGuid():N}");
        Open[gate.Name] = gate;
        return gate;
    }

    public static Gate Named(string name) =>
        Open.TryGetValue(name, out var gate) ? gate : throw new InvalidOperationException($"gate '{name}' is closed for good");

    public GatedInput Input(long value, bool hold = false) => new(Name, value, hold);

    public void Release() => _released.TrySetResult();

    internal void Enter() => Interlocked.Increment(ref _held);

    internal void Complete() => Interlocked.Increment(ref _completed);

    internal void Cancel() => Interlocked.Increment(ref _cancelled);

    public void Dispose()
    {
        Release();
        Open.TryRemove(Name, out _);
    }
}

/// <summary>Squares <see cref="GatedInput.Value"/>; a held input first waits for its gate (an I/O job that never answers).</summary>
public sealed class GatedSquareJob : IAsyncJob<GatedInput, long>
{
    public async Task<long> RunAsync(GatedInput input, CancellationToken cancellationToken)
    {
        var gate = Gate.Named(input.Gate);
        if (input.Hold)
        {
            gate.Enter();
            try
            {
                await gate.Released.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                gate.Cancel();
                throw;
            }
        }
        gate.Complete();
        return input.Value * input.Value;
    }
}

/// <summary>An input of <see cref="FlakyJob"/>: fails its first <paramref name="Failures"/> tries.</summary>
public sealed record FlakyInput(string Run, long Value, int Failures = 0);

/// <summary>Squares its input after failing the number of tries the input asks for.</summary>
public sealed class FlakyJob : IJob<FlakyInput, long>
{
    private static readonly ConcurrentDictionary<(string Run, long Value), int> Tries = new();

    public long Run(FlakyInput input)
    {
        var attempt = Tries.AddOrUpdate((input.Run, input.Value), 1, static (_, tries) => tries + 1);
        if (attempt <= input.Failures)
            throw new InvalidOperationException($"flaky input {input.Value} fails try {attempt}");
        return input.Value * input.Value;
    }

    /// <summary>How often input <paramref name="value"/> of run <paramref name="run"/> was tried.</summary>
    public static int TriesOf(string run, long value) => Tries.TryGetValue((run, value), out var tries) ? tries : 0;

    public static string NewRun() => Guid.NewGuid().ToString("N");
}

/// <summary>Declares a job contract but implements neither IJob nor IAsyncJob.</summary>
public sealed class NotAJob : IJobContract<long, long>;

/// <summary>A job a worker cannot build: it has no public parameterless constructor.</summary>
public sealed class NeedsFactorJob(long factor) : IJob<long, long>
{
    public long Run(long input) => input * factor;
}

/// <summary>A record registered as a payload type in the serializer specs.</summary>
public sealed record Point(int X, string? Label);

/// <summary>A record the serializer specs never register: it must be refused on the way in.</summary>
public sealed record Unlisted(int X);

/// <summary>Returns its input, but throws for negative inputs: a job that fails for chosen inputs.</summary>
public sealed class FailJob : IJob<long, long>
{
    public long Run(long input) =>
        input < 0 ? throw new InvalidOperationException($"fail job refuses negative input {input}") : input;
}

/// <summary>An input of <see cref="MissingKeyJob"/>: a negative value throws; <paramref name="Run"/> names the test's records.</summary>
public sealed record KeyedInput(string Run, long Value);

/// <summary>Throws <see cref="KeyNotFoundException"/> for negative inputs, and remembers every try and every exception it threw, per run.</summary>
public sealed class MissingKeyJob : IJob<KeyedInput, long>
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<Exception>> Thrown = new();
    private static readonly ConcurrentDictionary<(string Run, long Value), int> Tries = new();

    public static string NewRun() => Guid.NewGuid().ToString("N");

    public static IReadOnlyCollection<Exception> ThrownIn(string run) => Thrown.GetValueOrDefault(run)?.ToArray() ?? [];

    public static int TriesOf(string run, long value) => Tries.GetValueOrDefault((run, value));

    public long Run(KeyedInput input)
    {
        Tries.AddOrUpdate((input.Run, input.Value), 1, (_, tries) => tries + 1);
        if (input.Value >= 0) return input.Value;
        var thrown = new KeyNotFoundException($"no key {input.Value}");
        Thrown.GetOrAdd(input.Run, _ => new ConcurrentQueue<Exception>()).Enqueue(thrown);
        throw thrown;
    }
}

/// <summary>
/// Squares <see cref="GatedInput.Value"/> synchronously, counting each run at its gate; a held input
/// first blocks its thread until its gate opens, deaf to cancellation — a job that overruns its
/// deadline and cannot be stopped.
/// </summary>
public sealed class StubbornJob : IJob<GatedInput, long>
{
    public long Run(GatedInput input)
    {
        var gate = Gate.Named(input.Gate);
        if (input.Hold) gate.Released.Wait();
        gate.Complete();
        return input.Value * input.Value;
    }
}

/// <summary>A record holding a double that may be NaN or infinite.</summary>
public sealed record Reading(double Value);

/// <summary>A record whose computed property throws for a negative value: System.Text.Json cannot write it.</summary>
public sealed record Unwritable(long Value)
{
    public long Checked => Value >= 0 ? Value : throw new InvalidOperationException($"unwritable value {Value}");
}
