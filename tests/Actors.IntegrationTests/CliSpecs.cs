using System.Text.Json;

namespace Actors.IntegrationTests;

/// <summary>The <c>actors</c> command, run as a user runs it.</summary>
[Collection(ProcessCollection.Name)]
public sealed class CliSpecs
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);
    private const long SumOfSquares = 333332833333500000;

    [Fact]
    public async Task Map_in_local_mode_prints_count_and_sum_as_json()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(Generous, "map", "--job", "square", "--range", "0..1000000", "--json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(1_000_000, json.RootElement.GetProperty("count").GetInt64());
        Assert.Equal(SumOfSquares, json.RootElement.GetProperty("sum").GetInt64());
    }

    [Fact]
    public async Task Map_in_processes_mode_runs_in_two_worker_processes_that_are_not_its_own()
    {
        using var cli = CliRunner.Start("map", "--mode", "processes", "--processes", "2", "--job", "square", "--range", "0..1000000", "--json");
        var exit = await cli.WaitForExitAsync(Generous);

        Assert.True(exit == 0, cli.Stderr);
        using var json = JsonDocument.Parse(cli.Stdout);
        Assert.Equal(1_000_000, json.RootElement.GetProperty("count").GetInt64());
        Assert.Equal(SumOfSquares, json.RootElement.GetProperty("sum").GetInt64());
        var pids = json.RootElement.GetProperty("pids").EnumerateArray().Select(pid => pid.GetInt32()).ToList();
        Assert.Equal(2, pids.Distinct().Count());
        Assert.DoesNotContain(cli.Pid, pids);
        Assert.All(pids, pid => Assert.False(ProcessPool.IsRunning(pid), $"worker {pid} outlived the command"));
    }

    [Fact]
    public async Task Killing_a_worker_process_while_the_command_maps_still_gives_the_full_count_and_sum()
    {
        using var cli = CliRunner.Start("map", "--mode", "processes", "--processes", "2", "--job", "sum-range", "--range", "0..60000", "--chunk-size", "100", "--json");
        var workers = await WorkersOfAsync(cli.Pid, 2);
        ProcessPool.Kill(workers[0]);

        var exit = await cli.WaitForExitAsync(Generous);

        Assert.True(exit == 0, cli.Stderr);
        using var json = JsonDocument.Parse(cli.Stdout);
        Assert.Equal(60_000, json.RootElement.GetProperty("count").GetInt64());
        var expected = Enumerable.Range(0, 60_000).Sum(i => (long)i * (i - 1) / 2);
        Assert.Equal(expected, json.RootElement.GetProperty("sum").GetInt64());
        // Killed while it started or while it served: either way the pool saw it go.
        Assert.Matches($"worker process {workers[0]} (failed to start: it )?exited with code", cli.Stderr);
    }

    [Fact]
    public async Task The_config_file_and_overrides_reach_the_worker_processes()
    {
        // A chunk of a million longs is 8 MB: only frames raised on both sides of the wire carry it.
        var file = Path.Combine(Path.GetTempPath(), $"frames-{Guid.NewGuid():N}.hocon");
        await File.WriteAllTextAsync(file, "akka.remote.dot-netty.tcp.maximum-frame-size = 16 MiB\n");
        try
        {
            var (exit, stdout, stderr) = await CliRunner.RunAsync(Generous, "map", "--mode", "processes", "--processes", "1", "--job", "square",
                "--range", "0..1000000", "--chunk-size", "1000000", "--config", file, "--override", "akka.remote.dot-netty.tcp.send-buffer-size = 16 MiB", "--json");

            Assert.True(exit == 0, stderr);
            using var json = JsonDocument.Parse(stdout);
            Assert.Equal((1_000_000L, SumOfSquares), (json.RootElement.GetProperty("count").GetInt64(), json.RootElement.GetProperty("sum").GetInt64()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Worker_processes_exit_by_themselves_when_their_parent_is_killed()
    {
        using var cli = CliRunner.Start("map", "--mode", "processes", "--processes", "2", "--job", "sleep", "--range", "0..1000000", "--chunk-size", "1");
        var workers = await WorkersOfAsync(cli.Pid, 2);

        ProcessPool.Kill(cli.Pid);

        try
        {
            await WaitUntilAsync(() => workers.All(pid => !ProcessPool.IsRunning(pid)), TimeSpan.FromSeconds(10));
        }
        finally
        {
            foreach (var pid in workers) ProcessPool.Kill(pid);
        }
    }

    [Fact]
    public async Task Sigterm_stops_the_command_cleanly_and_leaves_no_worker_behind()
    {
        using var cli = CliRunner.Start("map", "--mode", "processes", "--processes", "2", "--job", "sleep", "--range", "0..1000000", "--chunk-size", "1");
        var workers = await WorkersOfAsync(cli.Pid, 2);

        cli.Signal("TERM");
        var exit = await cli.WaitForExitAsync(Generous);

        try
        {
            Assert.True(exit == 0, cli.Stderr);
            await WaitUntilAsync(() => workers.All(pid => !ProcessPool.IsRunning(pid)), TimeSpan.FromSeconds(10));
        }
        finally
        {
            foreach (var pid in workers) ProcessPool.Kill(pid);
        }
    }

    [Fact]
    public async Task Sigterm_mid_map_in_processes_mode_exits_0_without_a_stack_trace()
    {
        // CPU-bound chunks: the signal lands while the worker processes compute (it used to end in an
        // unhandled ObjectDisposedException, "its manager actor is gone", and exit 134).
        using var cli = CliRunner.Start("map", "--mode", "processes", "--processes", "2", "--job", "sum-range", "--range", "0..400000", "--chunk-size", "10");
        await cli.ErrorAsync(line => line.StartsWith("progress:", StringComparison.Ordinal) ? line : null, "its first progress line", Generous);
        var workers = ProcessPool.ChildrenOf(cli.Pid);

        try
        {
            cli.Signal("TERM");
            var exit = await cli.WaitForExitAsync(Generous);

            Assert.True(exit == 0, cli.Stderr);
            Assert.Contains("map interrupted after", cli.Stderr);
            Assert.DoesNotContain("   at ", cli.Stderr);
            Assert.DoesNotContain("Unhandled", cli.Stderr);
        }
        finally
        {
            foreach (var pid in workers) ProcessPool.Kill(pid);
        }
    }

    [Fact]
    public async Task A_malformed_config_file_is_reported_with_its_file_and_line_and_exit_code_2()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.hocon");
        await File.WriteAllTextAsync(file, "actors {\n  buffer {\n    capacity = [1, 2\n  }\n}\n");
        try
        {
            var (exit, _, stderr) = await CliRunner.RunAsync(Generous, "demo", "--config", file);

            Assert.Equal(2, exit);
            Assert.Matches($@"{Regex(file)}:\d+: ", stderr);
            Assert.DoesNotContain("   at ", stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("cycle", "substitution cycle: a -> b -> a")]
    [InlineData("deep", "nested deeper than")]
    public async Task A_config_file_that_would_overflow_the_parsers_stack_is_a_configuration_error_with_exit_code_2(string kind, string reason)
    {
        var file = Path.Combine(Path.GetTempPath(), $"{kind}-{Guid.NewGuid():N}.hocon");
        await File.WriteAllTextAsync(file, kind == "cycle"
            ? "a = ${b}\nb = ${a}\n"
            : string.Concat(Enumerable.Repeat("a {\n", 50_000)) + "x = 1\n" + new string('}', 50_000));
        try
        {
            var (exit, _, stderr) = await CliRunner.RunAsync(Generous, "demo", "--config", file);

            Assert.True(exit == 2, stderr); // was 134, "Stack overflow"
            Assert.Matches($@"configuration error: {Regex(file)}:\d+: ", stderr);
            Assert.Contains(reason, stderr);
            Assert.DoesNotContain("   at ", stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Demo_without_a_scenario_runs_questions_4_2_3_and_1_as_before_and_not_question_5()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(Generous, "demo");

        Assert.True(exit == 0, $"{stdout}\n{stderr}");
        var questions = stdout.Split('\n').Where(line => line.StartsWith("== Question", StringComparison.Ordinal)).Select(line => line[.."== Question N".Length]);
        Assert.Equal(["== Question 4", "== Question 2", "== Question 3", "== Question 1"], questions);
        Assert.Contains("Final list: []", stdout);
    }

    [Fact]
    public async Task Demo_state_runs_every_row_of_question_5_and_prints_each_result()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(Generous, "demo", "state");

        Assert.True(exit == 0, $"{stdout}\n{stderr}");
        Assert.DoesNotContain("FAILED", stdout);
        Assert.DoesNotContain("Question 4", stdout);
        string[] rows = ["-- Lock ", "-- RLock ", "-- Semaphore(3) ", "-- Condition ", "-- Event ", "-- Barrier ", "-- Queue ", "-- Value/Array/Manager, Pipe ", "-- across cluster nodes "];
        Assert.Equal(rows, stdout.Split('\n').Where(line => line.StartsWith("-- ", StringComparison.Ordinal)).Select(line => rows.FirstOrDefault(line.StartsWith) ?? line));
        Assert.Contains("= 2,000,000 (expected 2,000,000)", stdout);
        Assert.Contains("deadlocked until its Ask timed out", stdout);
        Assert.Contains("20 of 20 pieces of work done", stdout);
        Assert.Contains("total 200,000 (expected 200,000)", stdout);
        Assert.Contains("ReadMajority on node A = 200, on node B = 200 (expected 200)", stdout);
    }

    [Theory]
    [InlineData("map --job nope --range 0..10", "unknown job 'nope'; known jobs: crash, fail, sleep, square, sum-range")]
    [InlineData("map --job square --range 10..x", "is not START..END")]
    [InlineData("frobnicate", "frobnicate")]
    [InlineData("demo bogus", "Argument 'bogus' not recognized")]
    [InlineData("map --job square --range 0..10 --workers 0", "--workers must be 1..10000")]
    [InlineData("map --job square --range -5000000000000000000..5000000000000000000", "more than can be counted")]
    [InlineData("map --job sleep --range -1..0", "job 'sleep' needs inputs of at least 0")]
    [InlineData("node --role worker --hostname a\"b", "is not a host name or an IP address")]
    [InlineData("bench buffer --rounds 0", "--rounds must be at least 1")]
    public async Task A_bad_argument_prints_usage_and_exits_2(string args, string message)
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(Generous, args.Split(' '));

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
        Assert.Contains("Usage:", stderr);
    }

    [Theory]
    [InlineData("actors.pool.chunk-size = abc", "actors.pool.chunk-size = abc: must be a whole number")]
    [InlineData("actors.pool.tick-interval = 0s", "actors.pool.tick-interval = 0s: must be positive")]
    [InlineData("actors.pool.processes.count = 10000", "actors.pool.processes.count = 10000: must be 0 (one per core) to")]
    [InlineData("akka.loglevel = LOUD", "the actor system refused its configuration: Unknown LogLevel: \"LOUD\"")]
    [InlineData("actors.security.tls.enabled = maybe", "actors.security.tls.enabled = maybe: must be on or off")]
    public async Task A_bad_configuration_value_is_named_with_its_key_and_exits_2(string setting, string message)
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(Generous, "map", "--job", "square", "--range", "0..10", "--override", setting);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task A_chunk_size_far_beyond_the_input_count_maps_the_few_inputs()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(Generous, "map", "--job", "square", "--range", "0..10", "--chunk-size", "2147483647", "--json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal((10, 285), (json.RootElement.GetProperty("count").GetInt64(), json.RootElement.GetProperty("sum").GetInt64()));
    }

#if DEBUG
    // The specs run the command as built with them; in a Debug build it must refuse to benchmark.
    [Fact]
    public async Task Bench_refuses_a_debug_build_and_names_the_release_command()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(Generous, "bench", "buffer");

        Assert.Equal(2, exit);
        Assert.Contains("bench needs a Release build", stderr);
        Assert.Contains("dotnet run -c Release --project src/Actors.Cli -- bench", stderr);
        Assert.Empty(stdout);
    }
#endif

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    /// <summary>Waits until the command has started its worker processes and returns their pids.</summary>
    private static async Task<IReadOnlyList<int>> WorkersOfAsync(int parentPid, int count)
    {
        IReadOnlyList<int> workers = [];
        await WaitUntilAsync(() => (workers = ProcessPool.ChildrenOf(parentPid)).Count >= count, TimeSpan.FromSeconds(60));
        return workers;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!condition())
        {
            // Polling the OS process table: there is no event to await for another process's children.
            await Task.Delay(50, deadline.Token);
        }
    }
}
