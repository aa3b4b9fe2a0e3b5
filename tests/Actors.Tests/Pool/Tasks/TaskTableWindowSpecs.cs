using Actors.Pool.Tasks;
using static Actors.Tests.Pool.Tasks.TableDriver;

namespace Actors.Tests.Pool.Tasks;

/// <summary>
/// The pipelined window: how many chunks a worker may hold follows the run time it measures for
/// them (<see cref="PipelineDepth"/>), so that short chunks pipeline deeply and long ones do not
/// pile up on one worker; a deep pipeline keeps every guarantee of a shallow one.
/// </summary>
public sealed class TaskTableWindowSpecs
{
    /// <summary>At least 2 per worker, at most 16, and 2 ms of measured work.</summary>
    private static readonly PipelineDepth Depth = new(Least: 2, Most: 16, Horizon: TimeSpan.FromMilliseconds(2));

    private static readonly TimeSpan Short = TimeSpan.FromMicroseconds(10);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(0, 2)] // not measured: the least
    [InlineData(10, 16)] // 10 µs: 1 + 200, at most 16
    [InlineData(250, 9)] // 250 µs: 1 + 8
    [InlineData(1_000, 3)] // 1 ms: 1 + 2
    [InlineData(1_000_000, 2)] // 1 s: 1 + 0, at least 2
    public void Depth_must_cover_the_horizon_with_chunks_of_the_measured_run_time_within_its_bounds(int microseconds, int depth)
    {
        TimeSpan? runTime = microseconds == 0 ? null : TimeSpan.FromMicroseconds(microseconds);
        Assert.Equal(depth, Depth.For(runTime));
        Assert.Equal(4, PipelineDepth.Fixed(4).For(TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void Depth_estimate_must_move_a_quarter_of_the_way_to_each_new_run_time_and_ignore_unmeasured_ones()
    {
        var first = PipelineDepth.Estimate(null, TimeSpan.FromMilliseconds(4));
        Assert.Equal(TimeSpan.FromMilliseconds(4), first);
        Assert.Equal(first, PipelineDepth.Estimate(first, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(5), PipelineDepth.Estimate(first, TimeSpan.FromMilliseconds(8)));
        Assert.Equal(3.0, Math.Round(PipelineDepth.Estimate(first, TimeSpan.FromTicks(1))!.Value.TotalMilliseconds));
        Assert.Null(PipelineDepth.Estimate(null, TimeSpan.Zero));
    }

    [Fact]
    public void Table_must_hold_only_the_least_until_a_worker_has_measured_a_chunk()
    {
        var table = new TableDriver(Depth);
        table.AddWorkers("w1");
        StartJobOfSingles(table, 40);
        Assert.Equal(2, table.Table.Counts.InFlight);

        // Not measured (an old worker, or one of this process that says nothing): still the least.
        Assert.Single(table.Complete("w1", 1), line => line.StartsWith("send", StringComparison.Ordinal));
        Assert.Equal(new TableCounts(Workers: 1, InFlight: 2, MaxInFlight: 2, Queued: 37, Jobs: 1, Retries: 0), table.Table.Counts);
    }

    [Fact]
    public void Table_must_deepen_the_pipeline_of_a_worker_whose_chunks_are_short()
    {
        var table = new TableDriver(Depth);
        table.AddWorkers("w1", "w2");
        StartJobOfSingles(table, 100);

        var sent = table.Complete("w1", 1, Short);

        // w1 answered one chunk and may now hold 16: 15 more go to it at once, in order; w2 is not measured yet.
        Assert.Equal(["deliver job 1 #0: 0 pid 4242", .. Enumerable.Range(5, 15).Select(id => $"send {id} to w1: {id - 1}")], sent);
        Assert.Equal(new TableCounts(Workers: 2, InFlight: 18, MaxInFlight: 18, Queued: 81, Jobs: 1, Retries: 0), table.Table.Counts);
    }

    [Fact]
    public void Table_must_let_a_pipeline_drain_to_the_least_when_its_chunks_become_long()
    {
        var table = new TableDriver(Depth);
        table.AddWorkers("w1");
        StartJobOfSingles(table, 100);
        table.Complete("w1", 1, Short);
        Assert.Equal(16, table.Table.Counts.InFlight);

        // Long chunks now: the estimate grows with each answer, and answers make no room until the
        // worker holds fewer than its new depth.
        var sends = 0;
        for (var chunk = 2L; chunk <= 17; chunk++)
        {
            sends += table.Complete("w1", chunk, Long).Count(line => line.StartsWith("send", StringComparison.Ordinal));
        }
        Assert.Equal(2, table.Table.Counts.MaxInFlight);
        Assert.Equal(2, table.Table.Counts.InFlight);
        Assert.True(sends < 16, $"{sends} chunks were sent while the worker's chunks grew long");
    }

    [Fact]
    public void Table_must_keep_a_worker_with_long_chunks_at_the_least()
    {
        var table = new TableDriver(Depth);
        table.AddWorkers("w1");
        StartJobOfSingles(table, 10);

        Assert.Equal(["deliver job 1 #0: 0 pid 4242", "send 3 to w1: 2"], table.Complete("w1", 1, Long));
        Assert.Equal(2, table.Table.Counts.MaxInFlight);
    }

    [Fact]
    public void Table_must_answer_every_chunk_of_a_deep_pipeline_once_and_in_the_order_sent()
    {
        var table = new TableDriver(Depth);
        table.AddWorkers("w1", "w2");
        const int inputs = 500;
        StartJobOfSingles(table, inputs);
        var delivered = new List<long>();
        var owed = new Dictionary<string, Queue<long>> { ["w1"] = new([1, 3]), ["w2"] = new([2, 4]) };

        // Each worker answers its oldest run; new runs join its queue as the table sends them.
        for (var turn = 0; owed.Values.Any(queue => queue.Count > 0); turn++)
        {
            var worker = turn % 3 == 0 && owed["w2"].Count > 0 || owed["w1"].Count == 0 ? "w2" : "w1";
            foreach (var line in table.Complete(worker, owed[worker].Dequeue(), Short))
            {
                var words = line.Split(' ');
                if (words[0] == "send") owed[words[3].TrimEnd(':')].Enqueue(long.Parse(words[1]));
                else delivered.Add(long.Parse(words[3].TrimStart('#').TrimEnd(':')));
            }
            Assert.InRange(table.Table.Counts.InFlight, 0, 32);
        }

        Assert.Equal(Enumerable.Range(0, inputs).Select(i => (long)i), delivered.Order());
        Assert.Equal(new TableCounts(Workers: 2, InFlight: 0, MaxInFlight: 32, Queued: 0, Jobs: 1, Retries: 0), table.Table.Counts);
    }

    [Fact]
    public void Table_must_charge_only_the_announced_chunk_of_a_deep_pipeline_when_its_worker_dies()
    {
        var table = new TableDriver(Depth);
        table.AddWorkers("w1", "w2");
        StartJobOfSingles(table, 100);
        table.Complete("w1", 1, Short); // w1 now holds 3 and 5 .. 19
        table.Complete("w1", 3, Short); // and 20

        // w1 had finished 5 and 6 (their answers held, never sent) and was running 7 when its process died.
        Assert.Empty(table.LoseWorkers(["w1"], 5, 6, 7)); // w2 holds its least already
        Assert.Equal(new TableCounts(Workers: 1, InFlight: 2, MaxInFlight: 2, Queued: 96, Jobs: 1, Retries: 16), table.Table.Counts);

        // Input 6 (chunk 7) is charged a try, alone, first; everything else w1 held goes again uncharged, in order.
        var decided = table.Complete("w2", 2, Short);
        Assert.Equal(["deliver job 1 #1: 1 pid 4242", "send 101 to w2: 6 (charged 1)", "send 5 to w2: 4", "send 6 to w2: 5", "send 8 to w2: 7"], decided[..5]);
        Assert.Equal(16, decided.Length);
        Assert.Single(decided, line => line.Contains("(charged", StringComparison.Ordinal));
    }

    /// <summary>Starts job 1 with <paramref name="count"/> inputs 0, 1, …, each a chunk of its own.</summary>
    private static void StartJobOfSingles(TableDriver table, int count)
    {
        table.StartJob(1, Policy());
        for (var i = 0; i < count; i++) table.Submit(1, i, i);
    }
}
