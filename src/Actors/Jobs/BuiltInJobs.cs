namespace Actors.Jobs;

/// <summary><c>x * x</c>: the course's <c>worker_function</c> for <c>Pool.map</c> (question 2).</summary>
public sealed class SquareJob : ISpanJob<long, long>
{
    public long Run(long input) => checked(input * input);

    public void Run(ReadOnlySpan<long> inputs, Span<long> outputs)
    {
        for (var i = 0; i < inputs.Length; i++) outputs[i] = checked(inputs[i] * inputs[i]);
    }
}

/// <summary>
/// <c>sum(range(n))</c>: the course's CPU-bound task of question 3, computed by a loop as Python does
/// (the loop is the work the benchmarks measure). Exact or failed: a sum past <see cref="long.MaxValue"/>
/// (any <c>n</c> above 4,294,967,296) throws <see cref="OverflowException"/> naming <c>n</c> and the
/// exact sum before the loop starts, so a huge input fails at once instead of spinning for years.
/// </summary>
public sealed class SumRangeJob : IJob<long, long>
{
    public long Run(long input)
    {
        if (input < 0) throw new ArgumentOutOfRangeException(nameof(input), input, "sum-range needs n >= 0");
        // The exact sum in closed form (n(n-1)/2 fits in 128 bits for every long n): checked first, looped after.
        var exact = (Int128)input * (input - 1) / 2;
        if (exact > long.MaxValue)
            throw new OverflowException($"sum-range {input}: the sum of 0..{input - 1} is {exact}, more than a 64-bit integer holds ({long.MaxValue})");
        long sum = 0;
        for (long i = 0; i < input; i++) sum = checked(sum + i);
        return sum;
    }
}

/// <summary>Waits <c>input</c> milliseconds and returns it: simulated I/O (question 1).</summary>
public sealed class SleepJob : IAsyncJob<long, long>
{
    /// <summary>The longest wait <see cref="Task.Delay(TimeSpan, CancellationToken)"/> takes, in milliseconds.</summary>
    public const long MaxWaitMilliseconds = uint.MaxValue - 1L;

    public async Task<long> RunAsync(long input, CancellationToken cancellationToken)
    {
        // Task.Delay reads -1 as "forever": a negative wait is refused, not turned into a hang.
        if (input < 0) throw new ArgumentOutOfRangeException(nameof(input), input, "sleep needs a wait of 0 ms or more");
        // Past Task.Delay's longest wait (about 49.7 days) the wait cannot be expressed: refused, naming the input.
        if (input > MaxWaitMilliseconds)
            throw new ArgumentOutOfRangeException(nameof(input), input, $"sleep waits at most {MaxWaitMilliseconds} ms");
        await Task.Delay(TimeSpan.FromMilliseconds(input), cancellationToken).ConfigureAwait(false);
        return input;
    }
}
