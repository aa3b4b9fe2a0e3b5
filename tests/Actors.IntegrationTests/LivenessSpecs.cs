using Actors.Jobs;
using Actors.Pool;
using Actors.Processes;
using Akka.Actor;

namespace Actors.IntegrationTests;

/// <summary>
/// Every call on a pool in processes mode ends, with results or a clear error, when what it needs
/// cannot happen: a worker host that cannot start, a payload too large or impossible to send.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class LivenessSpecs(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output = output;

    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);

    private readonly string _scratch = Path.Combine(Path.GetTempPath(), $"actors-liveness-{Guid.NewGuid():N}");
    private readonly List<ActorSystem> _systems = new();

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_scratch);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var system in _systems) await system.Terminate();
        Directory.Delete(_scratch, recursive: true);
        var left = ProcessPool.ChildrenOf(Environment.ProcessId).Where(ProcessPool.IsRunning).ToList();
        foreach (var pid in left) ProcessPool.Kill(pid);
        Assert.True(left.Count == 0, $"worker processes outlived their pools: {string.Join(", ", left)}");
    }

    [Fact]
    public async Task A_worker_host_that_cannot_start_is_reported_with_its_exit_code_and_error_and_every_call_fails_fast()
    {
        var host = Script("broken-host", "echo 'boom: this host cannot start' >&2", "exit 3");
        await using var pool = WorkerPool.Create(Start(1, $"actors.pool.processes.host-command = \"{host}\""), "pool");

        var unavailable = await Assert.ThrowsAsync<PoolUnavailableException>(() => pool.WhenReadyAsync(Bound));
        Assert.Contains("exited with code 3", unavailable.Reason);
        Assert.Contains("boom: this host cannot start", unavailable.Reason);

        var map = await Assert.ThrowsAsync<PoolTaskException>(() => pool.MapAsync(new SquareJob(), [1L, 2, 3]).WaitAsync(Bound));
        Assert.Equal(nameof(Actors.Protocol.NoWorkersLeft), map.Failure.ErrorType);
        Assert.Contains("boom: this host cannot start", map.Failure.Message);
        Assert.NotNull((await pool.GetStatusAsync()).Unavailable);
    }

    [Fact]
    public async Task A_replacement_that_cannot_start_never_stops_the_healthy_workers()
    {
        var refuse = Path.Combine(_scratch, "refuse-replacements");
        var real = WorkerHostCommand.Executable();
        var host = Script("flaky-host",
            $"if [ -e '{refuse}' ]; then echo 'replacement refused' >&2; exit 4; fi",
            $"exec '{real.FileName}' {string.Join(' ', real.ArgumentList.Select(a => $"'{a}'"))} \"$@\"");
        await using var pool = WorkerPool.Create(Start(2, $"actors.pool.processes.host-command = \"{host}\""), "pool");
        await pool.WhenReadyAsync(Bound);
        var pids = new HashSet<int>();
        await pool.MapAsync(new SquareJob(), Enumerable.Range(0, 8).Select(i => (long)i), Tracked(pids, new MapOptions { ChunkSize = 1 }));
        Assert.Equal(2, pids.Count);

        await File.WriteAllTextAsync(refuse, "from now on every start fails");
        var victim = pids.First();
        ProcessPool.Kill(victim);

        var survivor = pids.Single(pid => pid != victim);
        var seen = new HashSet<int>();
        var squares = await pool.MapAsync(new SquareJob(), Enumerable.Range(0, 1000).Select(i => (long)i), Tracked(seen, new MapOptions { ChunkSize = 10 })).WaitAsync(Bound);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i * i), squares);
        Assert.Equal([survivor], seen);
        Assert.True(ProcessPool.IsRunning(survivor), "the healthy worker process was stopped");
        var status = await pool.GetStatusAsync();
        Assert.Null(status.Unavailable);
        Assert.Equal(1, status.Routees);
    }

    [Fact]
    public async Task A_chunk_too_large_for_a_message_is_split_and_an_input_too_large_alone_is_reported()
    {
        await using var pool = WorkerPool.Create(Start(1, SmallFrames, ProcessPool.WithTestJobs), "pool");
        var inputs = Enumerable.Range(0, 32).Select(i => new string((char)('a' + i % 26), 16 * 1024)).ToList();
        inputs[5] = new string('x', 400 * 1024);

        var outcomes = await pool.MapOutcomesAsync(new LengthJob(), inputs, new MapOptions { ChunkSize = 32 }).WaitAsync(Bound);

        Assert.All(outcomes.Where(o => o.Index != 5), o => Assert.Equal(16 * 1024, o.Value));
        var failure = outcomes[5].Failure;
        Assert.NotNull(failure);
        Assert.Equal("TooLarge", failure.ErrorType);
        Assert.Contains("maximum-frame-size", failure.Message);
    }

    [Fact]
    public async Task Outputs_too_large_for_a_message_are_split_and_an_output_too_large_alone_is_reported()
    {
        await using var pool = WorkerPool.Create(Start(1, SmallFrames, ProcessPool.WithTestJobs), "pool");
        int[] kibibytes = [16, 16, 16, 16, 400, 16, 16, 16, 16, 16, 16, 16];

        var outcomes = await pool.MapOutcomesAsync(new KibibytesJob(), kibibytes, new MapOptions { ChunkSize = 12 }).WaitAsync(Bound);

        Assert.All(outcomes.Where(o => o.Index != 4), o => Assert.Equal(16 * 1024, o.Value!.Length));
        Assert.Contains("its outputs cannot cross the wire", outcomes[4].Failure?.Message);
    }

    [Fact]
    public async Task NaN_and_infinities_cross_to_a_worker_process_and_back_unchanged_as_raw_doubles_and_inside_records()
    {
        await using var pool = WorkerPool.Create(Start(1, ProcessPool.WithTestJobs), "pool");
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 4];

        var same = await pool.MapAsync(new SameDoubleJob(), specials).WaitAsync(Bound);
        var inverses = await pool.MapAsync(new InverseJob(), specials).WaitAsync(Bound);

        Assert.Equal(specials.Select(BitConverter.DoubleToInt64Bits), same.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal([double.NaN, 0.0, -0.0, double.NegativeInfinity, 0.25], inverses.Select(ratio => ratio.Value));
    }

    [Fact]
    public async Task A_result_the_serializer_cannot_write_fails_its_input_with_the_real_cause_and_the_others_succeed()
    {
        await using var pool = WorkerPool.Create(Start(1, ProcessPool.WithTestJobs), "pool");

        var outcomes = await pool.MapOutcomesAsync(new UnwritableJob(), [4L, 2, -7, 1], new MapOptions { ChunkSize = 4 }).WaitAsync(Bound);

        Assert.Equal([4L, 2, 1], outcomes.Where(o => o.Succeeded).Select(o => o.Value!.Value));
        var failure = Assert.Single(outcomes, o => !o.Succeeded).Failure!;
        Assert.Equal(2, failure.Index);
        Assert.Equal("NotSerializable", failure.ErrorType); // not "TooLarge": the payload is a few bytes
        Assert.Contains("cannot be serialized: InvalidOperationException: unwritable value -7", failure.Message);
    }

    [Fact]
    public async Task Disposing_a_pool_whose_worker_processes_are_busy_ends_its_call_and_stops_them_all()
    {
        var pool = WorkerPool.Create(Start(2), "pool");
        await pool.WhenReadyAsync(Bound);
        // Minute-long waits: the processes are busy for as long as the spec could wait.
        var map = pool.MapAsync(new SleepJob(), Enumerable.Repeat(60_000L, 8), new MapOptions { ChunkSize = 1 });
        var busy = await pool.GetStatusAsync();
        for (var waited = 0; busy.InFlightChunks < busy.MaxInFlightChunks && waited < 600; waited++)
        {
            // Polling the pool's status: there is no event for "every worker holds work".
            await Task.Delay(50);
            busy = await pool.GetStatusAsync();
        }
        Assert.True(busy.InFlightChunks == busy.MaxInFlightChunks, $"the workers never all held work: {busy}");
        var workers = ProcessPool.ChildrenOf(Environment.ProcessId).Where(ProcessPool.IsRunning).ToList();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await pool.DisposeAsync().AsTask().WaitAsync(Bound);
        _output.WriteLine($"disposed in {clock.Elapsed.TotalMilliseconds:0} ms");

        await Assert.ThrowsAsync<ObjectDisposedException>(() => map.WaitAsync(Bound));
        Assert.Equal(2, workers.Count);
        Assert.All(workers, pid => Assert.False(ProcessPool.IsRunning(pid), $"worker process {pid} outlived its disposed pool"));
    }

    /// <summary>Frames of 256 KiB (on both sides: overrides reach the worker processes): a chunk of 32 × 16 KiB does not fit.</summary>
    private const string SmallFrames = "akka.remote.dot-netty.tcp.maximum-frame-size = 256KiB";

    private ActorSystem Start(int processes, params string[] overrides)
    {
        var system = ProcessPool.CreateSystem("liveness", ProcessPool.Config(processes, overrides));
        _systems.Add(system);
        return system;
    }

    /// <summary>An executable shell script in the scratch folder.</summary>
    private string Script(string name, params string[] lines)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, "#!/bin/sh\n" + string.Join('\n', lines) + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static MapOptions Tracked(HashSet<int> pids, MapOptions options) => options with
    {
        Progress = new InlineProgress<MapProgress>(progress => { lock (pids) pids.UnionWith(progress.Pids); }),
    };
}
