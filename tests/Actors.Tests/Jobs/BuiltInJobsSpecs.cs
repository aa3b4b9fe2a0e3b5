using Actors.Jobs;

namespace Actors.Tests.Jobs;

/// <summary>The built-in jobs at the edge of what a 64-bit result holds: exact, or failed naming the input; never wrong, never endless.</summary>
public sealed class BuiltInJobsSpecs
{
    /// <summary>The largest n whose square fits in a long (⌊√long.MaxValue⌋).</summary>
    private const long LargestSquarable = 3_037_000_499;

    [Fact]
    public void Square_must_be_exact_up_to_the_largest_square_a_long_holds()
    {
        Assert.Equal(9_223_372_030_926_249_001, new SquareJob().Run(LargestSquarable));
        Assert.Equal(9_223_372_030_926_249_001, new SquareJob().Run(-LargestSquarable));
    }

    [Theory]
    [InlineData(LargestSquarable + 1)]
    [InlineData(-LargestSquarable - 1)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Square_must_fail_with_overflow_past_it_one_input_at_a_time_and_by_chunk(long input)
    {
        Assert.Throws<OverflowException>(() => new SquareJob().Run(input));
        var outputs = new long[2];
        Assert.Throws<OverflowException>(() => new SquareJob().Run([2L, input], outputs));
    }

    [Fact]
    public void Sum_range_must_be_exact_below_its_edge()
    {
        Assert.Equal(4950L, new SumRangeJob().Run(100));
        Assert.Equal(0L, new SumRangeJob().Run(0));
    }

    [Theory]
    [InlineData(4_294_967_297L)] // the least n whose sum 0..n-1 is past long.MaxValue
    [InlineData(4_300_000_000L)] // the input: a wrapped sum came back as -9201744075859551616
    [InlineData(long.MaxValue)]  // once a loop of 2^63 steps: it fails before looping
    public void Sum_range_must_fail_at_once_with_overflow_naming_its_input_past_its_edge(long input)
    {
        var error = Assert.Throws<OverflowException>(() => new SumRangeJob().Run(input));

        Assert.Contains($"sum-range {input}", error.Message);
        Assert.Contains(((System.Int128)input * (input - 1) / 2).ToString(), error.Message); // the exact sum, as Python would give it
    }

    [Theory]
    [InlineData(SleepJob.MaxWaitMilliseconds + 1)]
    [InlineData(long.MaxValue)]
    public async Task Sleep_must_refuse_a_wait_longer_than_a_delay_can_express(long input)
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new SleepJob().RunAsync(input, CancellationToken.None));

        Assert.Equal(input, error.ActualValue);
    }
}
