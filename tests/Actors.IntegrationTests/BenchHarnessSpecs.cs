using System.Text.Json;
using Actors.Cli.Bench;

namespace Actors.IntegrationTests;

/// <summary>The shared benchmark harness of <c>actors bench</c>, driven by scripted competitors (no timing is asserted).</summary>
public sealed class BenchHarnessSpecs
{
    private static readonly BenchExpectation Ten = BenchExpectation.Range(10);

    [Fact]
    public async Task Harness_must_run_every_competitor_once_per_round_after_a_warm_up_rotating_the_order()
    {
        var calls = new List<string>();
        var plan = Plan(("a", [1]), ("b", [1]), ("c", [1]));
        plan = plan with { Groups = [plan.Groups[0] with { Competitors = [.. plan.Competitors.Select(c => Recording(c, calls))] }] };

        await BenchHarness.RunAsync(plan, rounds: 2, TimeSpan.Zero, progress: null, CancellationToken.None);

        Assert.Equal(["a", "b", "c", "b", "c", "a", "c", "a", "b"], calls);
    }

    [Fact]
    public async Task Harness_must_repeat_a_warm_up_run_while_warm_up_time_remains()
    {
        using var stop = new CancellationTokenSource();
        var calls = 0;
        var competitor = new BenchCompetitor("a", 10, Ten, _ =>
        {
            if (++calls == 5)
            {
                stop.Cancel();
            }

            return Task.FromResult(new BenchRun(0.1, Ten.Count, Ten.Sum));
        });
        var plan = new BenchPlan("t", "t", [new BenchGroup("g", "a", [competitor])]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => BenchHarness.RunAsync(plan, rounds: 1, TimeSpan.FromHours(1), progress: null, stop.Token));

        Assert.Equal(5, calls);
    }

    [Fact]
    public async Task Harness_must_report_min_and_median_and_ratios_of_medians_to_the_group_baseline()
    {
        // Seconds per call: the warm-up first (not counted), then one per round.
        var plan = Plan(("base", [9, 2, 4, 3]), ("fast", [9, 1, 1, 5]));

        var outcome = await BenchHarness.RunAsync(plan, rounds: 3, TimeSpan.Zero, progress: null, CancellationToken.None);

        var baseline = outcome.Find("base")!;
        var fast = outcome.Find("fast")!;
        Assert.Equal((2.0, 3.0), (baseline.MinSeconds, baseline.MedianSeconds));
        Assert.Equal((1.0, 1.0), (fast.MinSeconds, fast.MedianSeconds));
        Assert.Equal(1.0, baseline.Ratio, 6);
        Assert.Equal(3.0, fast.Ratio, 6);
        Assert.Equal(10.0, fast.BestItemsPerSecond, 6);
        Assert.Equal([1.0, 1.0, 5.0], fast.Seconds);
    }

    [Fact]
    public async Task Harness_must_fail_loudly_when_a_competitor_delivers_a_wrong_result()
    {
        var wrong = new BenchCompetitor("lossy", 10, Ten, _ => Task.FromResult(new BenchRun(0.1, 9, 45)));
        var plan = new BenchPlan("t", "t", [new BenchGroup("g", "lossy", [wrong])]);

        var error = await Assert.ThrowsAsync<BenchCheckException>(() => BenchHarness.RunAsync(plan, 1, TimeSpan.Zero, null, CancellationToken.None));

        Assert.Contains("lossy", error.Message);
        Assert.Contains("9 items summing to 45, expected 10 summing to 45", error.Message);
    }

    [Fact]
    public async Task Harness_must_let_a_competitor_wrong_by_design_fall_short_of_its_sum_but_not_exceed_it()
    {
        BenchPlan Counter(long sum, bool atMost) => new("t", "t",
        [
            new BenchGroup("g", "a", [new BenchCompetitor("a", 10, new(10, 10), _ => Task.FromResult(new BenchRun(0.1, 10, sum))) { SumIsAtMost = atMost }]),
        ]);

        await Assert.ThrowsAsync<BenchCheckException>(() => BenchHarness.RunAsync(Counter(9, atMost: false), rounds: 1, TimeSpan.Zero, progress: null, CancellationToken.None));
        await Assert.ThrowsAsync<BenchCheckException>(() => BenchHarness.RunAsync(Counter(11, atMost: true), rounds: 1, TimeSpan.Zero, progress: null, CancellationToken.None));
        var outcome = await BenchHarness.RunAsync(Counter(9, atMost: true), rounds: 1, TimeSpan.Zero, progress: null, CancellationToken.None);
        Assert.Equal([0.1], outcome.Rows.Single().Seconds);
    }

    [Fact]
    public async Task Harness_must_refuse_a_plan_whose_baseline_is_not_in_its_group()
    {
        var plan = Plan(("a", [1]));
        plan = plan with { Groups = [plan.Groups[0] with { Baseline = "missing" }] };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => BenchHarness.RunAsync(plan, 1, TimeSpan.Zero, null, CancellationToken.None));

        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public async Task Harness_must_print_its_header_fields_and_rows_as_json()
    {
        var outcome = await BenchHarness.RunAsync(Plan(("a", [1])), rounds: 1, TimeSpan.Zero, progress: null, CancellationToken.None);

        using var json = JsonDocument.Parse(outcome.ToJson());
        var environment = json.RootElement.GetProperty("environment");
        Assert.Equal(Environment.ProcessorCount, environment.GetProperty("cores").GetInt32());
        foreach (var field in new[] { "loadAverage", "runtime", "configuration", "serverGc", "concurrentGc", "date" })
        {
            Assert.True(environment.TryGetProperty(field, out _), $"the JSON header lacks '{field}'");
        }

        var row = json.RootElement.GetProperty("rows")[0];
        Assert.Equal("a", row.GetProperty("name").GetString());
        Assert.Equal(1.0, row.GetProperty("medianSeconds").GetDouble());
        Assert.Equal(1, json.RootElement.GetProperty("rounds").GetInt32());
    }

    [Theory]
    [InlineData("Release", false)]
    [InlineData("Debug", true)]
    [InlineData("Debug+Release", true)]
    public void Bench_must_refuse_any_build_but_release(string configuration, bool refused)
    {
        Assert.Equal(refused, BenchEnvironment.RefusalFor(configuration) is not null);
    }

    [Fact]
    public void Median_must_take_the_middle_value_or_the_mean_of_the_two_middle_values()
    {
        Assert.Equal(3.0, BenchHarness.Median([5.0, 1.0, 3.0]));
        Assert.Equal(2.5, BenchHarness.Median([4.0, 1.0, 2.0, 3.0]));
    }

    /// <summary>One group whose baseline is its first competitor; each competitor moves 10 items and reports the scripted seconds in turn.</summary>
    private static BenchPlan Plan(params (string Name, double[] Seconds)[] competitors)
    {
        var list = competitors.Select(c =>
        {
            var call = 0;
            return new BenchCompetitor(c.Name, 10, Ten, _ =>
                Task.FromResult(new BenchRun(c.Seconds[Math.Min(call++, c.Seconds.Length - 1)], Ten.Count, Ten.Sum)));
        }).ToList();
        return new BenchPlan("test", "test plan", [new BenchGroup("group", competitors[0].Name, list)]);
    }

    private static BenchCompetitor Recording(BenchCompetitor competitor, List<string> calls) => competitor with
    {
        Run = ct =>
        {
            calls.Add(competitor.Name);
            return competitor.Run(ct);
        },
    };
}
