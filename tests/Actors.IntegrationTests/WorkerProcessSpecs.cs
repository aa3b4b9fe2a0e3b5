using Actors.Jobs;
using Actors.Pool;
using Akka.Actor;

namespace Actors.IntegrationTests;

/// <summary>The pool with its routees in real worker OS processes.</summary>
[Collection(ProcessCollection.Name)]
public sealed class WorkerProcessSpecs : ProcessPoolSpec
{
    [Fact]
    public async Task Map_over_two_worker_processes_is_ordered_correct_and_ran_in_two_other_processes()
    {
        var inputs = Enumerable.Range(0, 20_000).Select(i => (long)i).ToArray();

        var outputs = await Pool.MapAsync(new SquareJob(), inputs, Tracked(new MapOptions { ChunkSize = 100 }));

        Assert.Equal(inputs.Select(x => x * x), outputs);
        Assert.Equal(2, PidsSeen.Count);
        Assert.DoesNotContain(Environment.ProcessId, PidsSeen.Keys);
    }

    [Fact]
    public async Task A_users_own_job_and_record_types_run_in_the_worker_processes()
    {
        var rectangles = Enumerable.Range(1, 50).Select(i => new Rectangle(i, 0.5)).ToArray();

        var areas = await Pool.MapAsync(new AreaJob(), rectangles, Tracked(new MapOptions { ChunkSize = 5 }));

        Assert.Equal(rectangles.Select(r => r.Width * r.Height), areas);
        Assert.DoesNotContain(Environment.ProcessId, PidsSeen.Keys);
    }

    [Fact]
    public async Task Killing_a_worker_process_mid_map_loses_nothing_and_starts_a_replacement()
    {
        const int count = 200_000;
        var completed = 0L;
        var options = Tracked(new MapOptions { ChunkSize = 500 }, progress => Interlocked.Exchange(ref completed, progress.Completed));
        var map = Pool.MapAsync(new SpinJob(), Enumerable.Range(0, count).Select(i => (long)i), options);

        await AwaitConditionAsync(() => Task.FromResult(Interlocked.Read(ref completed) > count / 10 && PidsSeen.Count >= 2),
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));
        var before = PidsSeen.Keys.ToHashSet();
        var victim = before.First();
        ProcessPool.Kill(victim);

        var outputs = await map.WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(count, outputs.Length);
        for (var i = 0; i < count; i++) Assert.Equal(3L * i + 1, outputs[i]);
        Assert.False(ProcessPool.IsRunning(victim));
        await AwaitAssertAsync(async () =>
        {
            var status = await Pool.GetStatusAsync();
            Assert.Equal(2, status.Hosts);
            Assert.Equal(2, status.Routees);
            Assert.True(status.Retries > 0, "the lost chunks were sent again");
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));

        // Work now reaches the replacement: round-robin over two routees touches both processes.
        PidsSeen.Clear();
        await Pool.MapAsync(new SquareJob(), [1L, 2, 3, 4], Tracked(new MapOptions { ChunkSize = 1 }));
        Assert.Contains(PidsSeen.Keys, pid => !before.Contains(pid));
        foreach (var pid in before) PidsSeen.TryAdd(pid, 0);
    }

    [Fact]
    public async Task A_poison_input_that_kills_its_process_is_tried_a_bounded_number_of_times_and_reported()
    {
        long[] inputs = [1, 2, -3, 4, 5];

        var outcomes = await Pool.MapOutcomesAsync(new PoisonJob(), inputs, Tracked(new MapOptions { ChunkSize = 1, MaxAttempts = 2 }));

        Assert.Equal([1L, 2, 0, 4, 5], outcomes.Select(o => o.Value));
        var failure = Assert.Single(outcomes, o => !o.Succeeded).Failure!;
        Assert.Equal(2, failure.Index);
        Assert.Equal(2, failure.Attempts);
        Assert.Matches(@"worker process \d+ exited with code -?\d+ while running input #2", failure.Message);

        // The pool keeps serving once its processes are replaced.
        var squares = await Pool.MapAsync(new SquareJob(), [1L, 2, 3], Tracked());
        Assert.Equal(new long[] { 1, 4, 9 }, squares);
    }

    [Fact]
    public async Task A_worker_process_that_dies_leaving_a_process_that_holds_its_output_is_still_replaced()
    {
        var pidFile = Path.GetTempFileName();
        try
        {
            string[] inputs = ["a", "b", GrandchildJob.Prefix + pidFile, "d", "e"];

            var map = Pool.MapOutcomesAsync(new GrandchildJob(), inputs, Tracked(new MapOptions { ChunkSize = 1, MaxAttempts = 2 }));
            var patience = TimeSpan.FromMinutes(2);
            Assert.True(await Task.WhenAny(map, Task.Delay(patience)) == map,
                $"the map did not end within {patience}: the exit of a worker process whose output its job's process still holds was never reported");
            var outcomes = await map;

            var grandchildren = File.ReadAllLines(pidFile).Select(int.Parse).ToArray();
            Assert.Equal(2, grandchildren.Length); // one per try
            Assert.All(grandchildren, pid => Assert.True(ProcessPool.IsRunning(pid), $"process {pid} no longer holds the output"));
            Assert.Equal(["a", "b", null, "d", "e"], outcomes.Select(o => o.Value));
            var failure = Assert.Single(outcomes, o => !o.Succeeded).Failure!;
            Assert.Equal((2, 2), (failure.Index, failure.Attempts));
            Assert.Matches(@"worker process \d+ exited with code -?\d+ while running input #2", failure.Message);
            await AwaitAssertAsync(async () =>
            {
                var status = await Pool.GetStatusAsync();
                Assert.Equal((2, 2), (status.Hosts, status.Routees));
            }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
            Assert.Equal(new long[] { 1, 4, 9 }, await Pool.MapAsync(new SquareJob(), [1L, 2, 3], Tracked()));
        }
        finally
        {
            await Pool.DisposeAsync(); // first: no worker is left to try the input again and leave another behind
            foreach (var line in File.ReadAllLines(pidFile)) ProcessPool.Kill(int.Parse(line));
            File.Delete(pidFile);
        }
    }

    [Fact]
    public async Task A_job_type_the_workers_cannot_load_is_reported_clearly()
    {
        var system = ProcessPool.CreateSystem("no-test-jobs", ProcessPool.Config(1));
        try
        {
            await using var pool = WorkerPool.Create(system, "pool");
            var error = await Assert.ThrowsAsync<UnknownJobException>(() => pool.MapAsync(new SpinJob(), [1L, 2, 3]));
            Assert.Equal(typeof(UnknownJobException).FullName, error.FailedInput()!.ErrorType);
            Assert.Contains(typeof(SpinJob).FullName!, error.Message);
            Assert.Contains("not in an assembly its pool told it to load", error.Message);
            Assert.Equal(1, error.FailedInput()!.Attempts); // not worth retrying
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Many_single_submits_each_get_their_own_result_from_the_worker_processes()
    {
        var submits = Enumerable.Range(0, 5000).Select(i => Pool.SubmitAsync(new SquareJob(), (long)i)).ToArray();
        var failing = Pool.SubmitAsync(new LookupJob(), -1L);

        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i * i), await Task.WhenAll(submits).WaitAsync(TimeSpan.FromMinutes(2)));
        var e = await Assert.ThrowsAsync<KeyNotFoundException>(() => failing);
        Assert.Equal(0, e.FailedInput()!.Index); // a submit is its own input #0
    }

    [Fact]
    public async Task Tuples_cross_to_the_worker_processes_and_back_unchanged()
    {
        var pairs = Enumerable.Range(0, 100).Select(i => ((long)i, (long)(1000 - i))).ToArray();

        var sums = await Pool.MapAsync(new PairSumJob(), pairs, Tracked(new MapOptions { ChunkSize = 10 }));

        Assert.All(sums, sum => Assert.Equal(1000, sum));
        Assert.DoesNotContain(Environment.ProcessId, PidsSeen.Keys);
    }

    [Fact]
    public async Task A_well_known_exception_from_a_worker_process_is_rethrown_as_its_type_with_the_workers_stack_trace()
    {
        // catch (KeyNotFoundException) fires across processes too: the type rebuilt, the input on it.
        var thrown = await Assert.ThrowsAsync<KeyNotFoundException>(() => Pool.MapAsync(new LookupJob(), [1L, -2, 3], Tracked()));

        Assert.Equal("no entry -2", thrown.Message);
        Assert.Contains(nameof(LookupJob), thrown.ToString()); // the worker's stack, as the remote part of the trace
        Assert.Equal((1L, (object?)(-2L), 1), (thrown.FailedInput()!.Index, thrown.FailedInput()!.InputValue, thrown.FailedInput()!.Attempts)); // not tried again by default
    }

    [Fact]
    public async Task A_users_own_exception_from_a_worker_process_keeps_its_type_name_message_and_stack_trace()
    {
        var outcome = Assert.Single(await Pool.MapOutcomesAsync(new LedgerJob(), [-5L], Tracked()));

        var remote = Assert.IsType<RemoteJobException>(outcome.Failure?.Exception);
        Assert.Equal(typeof(LedgerException).FullName, remote.RemoteType);
        Assert.Contains("ledger entry -5 is negative", remote.Message);
        Assert.Contains(nameof(LedgerJob), remote.RemoteStackTrace);
    }

    [Fact]
    public async Task A_type_that_would_not_cross_the_wire_unchanged_is_refused_before_anything_is_sent()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Pool.MapAsync(new MeasureJob(), [new Box(3)]));

        Assert.Contains(typeof(IMeasure).FullName!, e.Message);
        Assert.Contains("is an interface", e.Message);
        Assert.Equal(0, (await Pool.GetStatusAsync()).ActiveJobs);
    }
}
