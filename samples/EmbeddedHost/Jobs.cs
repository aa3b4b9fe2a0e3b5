using System.Text.Json;
using Actors.Jobs;
using Actors.Pool;

namespace EmbeddedHost;

/// <summary><c>1,000,000 / x</c> in whole numbers: throws <see cref="DivideByZeroException"/> for 0, a job that fails for a chosen input.</summary>
public sealed class MillionOverJob : IJob<long, long>
{
    public long Run(long input) => 1_000_000 / input;
}

/// <summary>The length of a word: a job over strings.</summary>
public sealed class WordLengthJob : IJob<string, long>
{
    public long Run(string input) => input.Length;
}

/// <summary>An input of the wrong type for its job; the message says which one and what the job takes.</summary>
internal sealed class InputTypeException(long index, string input, string job, string takes)
    : Exception($"inputs[{index}] is {Abridged(input)}: job '{job}' takes {takes}.")
{
    private const int MostShown = 80;

    private static string Abridged(string input) => input.Length <= MostShown ? input : input[..MostShown] + "…";

    public long Index { get; } = index;
}

/// <summary>A job the service runs by name, over inputs that arrive as JSON.</summary>
internal interface IHttpJob
{
    string Name { get; }

    /// <summary>Its class for the bulkhead (<see cref="Bulkhead"/>): <c>slow</c> for jobs that wait, <c>compute</c> for the rest.</summary>
    string Class { get; }

    /// <summary>What its inputs must be, for error messages.</summary>
    string Takes { get; }

    /// <summary>Maps a JSON array held in memory; the outputs in input order.</summary>
    /// <exception cref="InputTypeException">An input is not of the job's type.</exception>
    Task<object> MapAsync(IWorkerPool pool, JsonElement inputs, CancellationToken cancellationToken);

    /// <summary>Maps inputs as they arrive; outputs stream back in input order.</summary>
    IAsyncEnumerable<object?> StreamAsync(IWorkerPool pool, IAsyncEnumerable<JsonElement> inputs, CancellationToken cancellationToken);
}

/// <summary>The jobs of the service, by name.</summary>
internal static class JobCatalog
{
    /// <summary>The bulkhead class of jobs that wait (simulated I/O).</summary>
    public const string Slow = "slow";

    /// <summary>The bulkhead class of jobs that compute.</summary>
    public const string Compute = "compute";

    private static readonly Dictionary<string, IHttpJob> Jobs = new IHttpJob[]
    {
        new HttpJob<long, long>("square", Compute, "whole numbers", () => new SquareJob()),
        new HttpJob<long, long>("sum-range", Compute, "whole numbers n >= 0 (the sum of 0..n-1)", () => new SumRangeJob()),
        new HttpJob<long, long>("sleep", Slow, "waits in milliseconds (whole numbers >= 0)", () => new SleepJob()),
        new HttpJob<long, long>("million-over", Compute, "whole numbers (1,000,000 / x; 0 fails)", () => new MillionOverJob()),
        new HttpJob<string, long>("word-length", Compute, "strings", () => new WordLengthJob()),
    }.ToDictionary(job => job.Name, StringComparer.OrdinalIgnoreCase);

    public static string Names => string.Join(", ", Jobs.Keys.Order(StringComparer.Ordinal));

    public static IHttpJob? Find(string? name) => name is not null && Jobs.TryGetValue(name, out var job) ? job : null;

    private sealed class HttpJob<TIn, TOut>(string name, string jobClass, string takes, Func<IJobContract<TIn, TOut>> create) : IHttpJob
    {
        public string Name => name;

        public string Class => jobClass;

        public string Takes => takes;

        public async Task<object> MapAsync(IWorkerPool pool, JsonElement inputs, CancellationToken cancellationToken)
        {
            var typed = new TIn[inputs.GetArrayLength()];
            var index = 0;
            foreach (var input in inputs.EnumerateArray()) typed[index] = Read(input, index++);
            return await pool.MapAsync(create(), typed, cancellationToken: cancellationToken);
        }

        public async IAsyncEnumerable<object?> StreamAsync(IWorkerPool pool, IAsyncEnumerable<JsonElement> inputs,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var output in pool.MapOrderedAsync(create(), Typed(inputs, cancellationToken), cancellationToken: cancellationToken))
                yield return output;
        }

        private async IAsyncEnumerable<TIn> Typed(IAsyncEnumerable<JsonElement> inputs, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var index = 0L;
            await foreach (var input in inputs.WithCancellation(cancellationToken)) yield return Read(input, index++);
        }

        private TIn Read(JsonElement input, long index)
        {
            try
            {
                if (input.Deserialize<TIn>() is { } value) return value;
            }
            catch (JsonException)
            {
                // Reported below with the input's index.
            }
            throw new InputTypeException(index, input.GetRawText(), name, takes);
        }
    }
}
