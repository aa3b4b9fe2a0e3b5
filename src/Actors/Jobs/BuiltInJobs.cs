namespace Actors.Jobs;

/// <summary><c>x * x</c>: the seed's <c>worker_function</c> for <c>Pool.map</c> (question 2).</summary>
public sealed class SquareJob : ISpanJob<long, long>
{
    public long Run(long input) => checked(input * input);

    public void Run(ReadOnlySpan<long> inputs, Span<long> outputs)
    {
        for (var i = 0; i < inputs.Length; i++) outputs[i] = checked(inputs[i] * inputs[i]);
    }
}

/// <summary><c>sum(range(n))</c>: the seed's CPU-bound task of question 3, computed by a loop as Python does.</summary>
public sealed class SumRangeJob : IJob<long, long>
{
    public long Run(long input)
    {
        if (input < 0) throw new ArgumentOutOfRangeException(nameof(input), input, "sum-range needs n >= 0");
        long sum = 0;
        for (long i = 0; i < input; i++) sum += i;
        return sum;
    }
}

/// <summary>Waits <c>input</c> milliseconds and returns it: simulated I/O (question 1).</summary>
public sealed class SleepJob : IAsyncJob<long, long>
{
    public async Task<long> RunAsync(long input, CancellationToken cancellationToken)
    {
        // Task.Delay reads -1 as "forever": a negative wait is refused, not turned into a hang.
        if (input < 0) throw new ArgumentOutOfRangeException(nameof(input), input, "sleep needs a wait of 0 ms or more");
        await Task.Delay(TimeSpan.FromMilliseconds(input), cancellationToken).ConfigureAwait(false);
        return input;
    }
}
