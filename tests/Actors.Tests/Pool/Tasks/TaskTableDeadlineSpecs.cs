using Actors.Pool.Tasks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Actors.Tests.Pool.Tasks.TableDriver;

namespace Actors.Tests.Pool.Tasks;

/// <summary>
/// The task table's per-task deadlines: the timeout times the chunk's inputs, counted from when the
/// worker starts the chunk; a late chunk is charged and tried again, a chunk its worker has not
/// started is not.
/// </summary>
public sealed class TaskTableDeadlineSpecs
{
    private const string TimedOut = "System.TimeoutException: no result within the per-task timeout of 00:00:10";

    [Fact]
    public void Table_must_charge_a_chunk_still_unanswered_past_its_deadline()
    {
        var table = new TableDriver();
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 1, timeout: Seconds(10)), 1);

        table.Now = Seconds(10);
        Assert.Empty(table.Expire());
        table.Now = Seconds(10.001);
        Assert.Equal([$"fail job 1 #0 (1) after 1: {TimedOut}"], table.Expire());
    }

    [Fact]
    public void Table_must_name_the_worker_still_busy_past_a_deadline_so_that_it_can_be_retired()
    {
        var table = new TableDriver();
        table.AddWorkers("w1", "w2");
        table.StartJob(1, Policy(maxAttempts: 2, timeout: Seconds(10)), 1);
        table.Submit(1, 1, 2);

        table.Now = Seconds(10.001);
        table.Expire(); // each input is charged a try and waits for a worker with room

        Assert.Equal(["w1 with 1", "w2 with 2"], table.Overdue);
        table.Now = Seconds(10.002);
        table.Expire();
        Assert.Empty(table.Overdue); // said once per run
    }

    [Fact]
    public void Table_must_give_a_chunk_the_timeout_once_per_input()
    {
        var table = new TableDriver();
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 1, timeout: Seconds(10)), 1, 2, 3);

        table.Now = Seconds(29.9);
        Assert.Empty(table.Expire());
        table.Now = Seconds(30.1);
        Assert.Equal(
            [$"fail job 1 #2 (3) after 1: {TimedOut}", $"fail job 1 #1 (2) after 1: {TimedOut}", $"fail job 1 #0 (1) after 1: {TimedOut}"],
            table.Expire());
    }

    [Fact]
    public void Table_must_start_a_chunks_clock_when_its_worker_starts_it_not_when_it_is_sent()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 1, timeout: Seconds(10)), 1);
        table.Submit(1, 1, 2);

        table.Now = Seconds(8);
        Assert.Equal(["deliver job 1 #0: 1 pid 4242"], table.Complete("w1", 1));
        table.Now = Seconds(18);
        Assert.Empty(table.Expire());
        table.Now = Seconds(18.5);
        Assert.Equal([$"fail job 1 #1 (2) after 1: {TimedOut}"], table.Expire());
    }

    [Fact]
    public void Table_must_retry_a_late_chunk_on_another_worker_and_ignore_its_late_answer()
    {
        var table = new TableDriver();
        table.AddWorkers("w1", "w2");
        table.StartJob(1, Policy(maxAttempts: 3, timeout: Seconds(10)), 1);

        table.Now = Seconds(11);
        Assert.Equal(["send 2 to w2: 1 (charged 1)"], table.Expire());
        Assert.Empty(table.Complete("w1", 1));
        Assert.Equal(["deliver job 1 #0: 1 pid 4242"], table.Complete("w2", 2));
    }

    [Fact]
    public void Table_must_keep_a_late_run_in_its_workers_room_until_the_worker_answers()
    {
        var table = new TableDriver();
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 3, timeout: Seconds(10)), 1);

        table.Now = Seconds(11);
        Assert.Empty(table.Expire());
        Assert.Equal(new TableCounts(Workers: 1, InFlight: 0, MaxInFlight: 1, Queued: 1, Jobs: 1, Retries: 1), table.Table.Counts);

        Assert.Equal(["send 2 to w1: 1 (charged 1)"], table.Complete("w1", 1));
    }

    [Fact]
    public void Table_must_report_a_chunk_late_on_its_last_try()
    {
        var table = new TableDriver();
        table.AddWorkers("w1", "w2");
        table.StartJob(1, Policy(maxAttempts: 2, timeout: Seconds(10)), 1);
        table.Now = Seconds(11);
        table.Expire();

        table.Now = Seconds(21);
        Assert.Empty(table.Expire());
        table.Now = Seconds(21.5);
        Assert.Equal([$"fail job 1 #0 (1) after 2: {TimedOut}"], table.Expire());
    }

    [Fact]
    public void Table_must_never_expire_a_chunk_of_a_job_without_a_timeout()
    {
        var table = new TableDriver();
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 1, timeout: null), 1);

        table.Now = TimeSpan.FromDays(3650);
        Assert.Empty(table.Expire());
        Assert.Equal(1, table.Table.Counts.InFlight);
    }

    [Fact]
    public void Table_must_not_charge_a_chunk_waiting_behind_a_run_whose_job_ended()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(), 1);
        table.EndJob(1);
        table.StartJob(2, Policy(maxAttempts: 1, timeout: Seconds(10)), 2);

        // The worker has not answered for job 1's chunk, so it may not have started chunk 2: chunk 2
        // goes back to the queue uncharged, under a new id (its old run is still in the worker's mailbox).
        table.Now = Seconds(11);
        Assert.Empty(table.Expire());
        Assert.Equal(new TableCounts(Workers: 1, InFlight: 0, MaxInFlight: 2, Queued: 1, Jobs: 1, Retries: 1), table.Table.Counts);

        Assert.Equal(["send 3 to w2: 2"], table.AddWorkers("w2"));
        Assert.Empty(table.Complete("w1", 2));
        Assert.Equal(["deliver job 2 #0: 4 pid 4242"], table.Complete("w2", 3));
    }

    [Fact]
    public void Table_must_not_charge_a_chunk_waiting_behind_a_run_that_was_late()
    {
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 3, timeout: Seconds(10)), 1);
        table.StartJob(2, Policy(maxAttempts: 1, timeout: Seconds(10)), 2);
        table.Now = Seconds(11);
        Assert.Empty(table.Expire()); // chunk 1 charged; its retry waits for room

        table.Now = Seconds(22);
        Assert.Empty(table.Expire());

        Assert.Equal(["send 4 to w2: 2", "send 3 to w2: 1 (charged 1)"], table.AddWorkers("w2"));
    }

    [Fact]
    public void Table_must_charge_a_retry_late_behind_its_own_inputs_unanswered_run()
    {
        // The only worker never finishes input 7: its retry waits behind it, and is charged when
        // late, so that the input is reported once its tries are spent.
        var table = new TableDriver(chunksPerWorker: 2);
        table.AddWorkers("w1");
        table.StartJob(1, Policy(maxAttempts: 2, timeout: Seconds(10)), 7);
        table.Now = Seconds(11);
        Assert.Equal(["send 2 to w1: 7 (charged 1)"], table.Expire());

        table.Now = Seconds(21);
        Assert.Empty(table.Expire());
        table.Now = Seconds(21.5);
        Assert.Equal([$"fail job 1 #0 (7) after 2: {TimedOut}"], table.Expire());
    }

    [Theory]
    [InlineData(5, 2, 3, 11)]
    [InlineData(0, 10, 1, 10)]
    [InlineData(7, 0, 4, 7)]
    public void Deadline_must_be_now_plus_the_timeout_for_each_input(int now, int perInput, int inputs, int expected)
    {
        Assert.Equal(Seconds(expected), TaskTable<string>.Deadline(Seconds(now), Seconds(perInput), inputs));
    }

    [Theory]
    [InlineData(0L, long.MaxValue, 1, long.MaxValue)]
    [InlineData(1L, long.MaxValue / 2, 2, long.MaxValue)]
    [InlineData(long.MaxValue, 1L, 1, long.MaxValue)]
    [InlineData(0L, long.MaxValue / 1000, 1001, long.MaxValue)]
    // A product a double would round up past the limit: exactly the limit, no overflow.
    [InlineData(100L, (long.MaxValue - 100) / 3, 3, long.MaxValue)]
    // A product a double would round up by hundreds of ticks: exact, and below the limit.
    [InlineData(1000L, (long.MaxValue - 1600) / 3, 3, 1000L + (long.MaxValue - 1600) / 3 * 3)]
    public void Deadline_must_be_exact_and_saturate_instead_of_overflowing(long nowTicks, long perInputTicks, int inputs, long expectedTicks)
    {
        Assert.Equal(
            TimeSpan.FromTicks(expectedTicks),
            TaskTable<string>.Deadline(TimeSpan.FromTicks(nowTicks), TimeSpan.FromTicks(perInputTicks), inputs));
    }

    [Property(MaxTest = 500)]
    public Property Deadline_must_be_the_exact_sum_or_the_largest_time_span_for_any_times() =>
        Prop.ForAll(DeadlineCases().ToArbitrary(), c =>
        {
            var exact = (Int128)c.Now + (Int128)c.PerInput * c.Inputs;
            var expected = exact > long.MaxValue ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)exact);
            Assert.Equal(expected, TaskTable<string>.Deadline(TimeSpan.FromTicks(c.Now), TimeSpan.FromTicks(c.PerInput), c.Inputs));
        });

    private sealed record DeadlineCase(long Now, long PerInput, int Inputs);

    /// <summary>Times anywhere in range, and timeouts at and around the largest that still fits.</summary>
    private static Gen<DeadlineCase> DeadlineCases()
    {
        var ticks = Gen.OneOf(
            Gen.Choose(0, 1000).Select(small => (long)small),
            Gen.Choose(0, 1000).Select(small => long.MaxValue - small),
            Gen.Choose(0, int.MaxValue).Two().Select(pair => ((long)pair.Item1 << 32) | (uint)pair.Item2));
        return from now in ticks
               from inputs in Gen.Choose(1, 100_000)
               from perInput in Gen.OneOf(
                   ticks.Select(any => any / inputs),
                   Gen.Choose(-2, 2).Select(near => (long.MaxValue - now) / inputs + near))
               select new DeadlineCase(now, Math.Max(0, perInput), inputs);
    }
}
