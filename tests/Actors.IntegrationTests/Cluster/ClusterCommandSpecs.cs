using System.Text.Json;
using System.Text.RegularExpressions;

namespace Actors.IntegrationTests.Cluster;

/// <summary>
/// <c>actors cluster up</c>, <c>actors cluster status</c>, and <c>actors map --mode cluster</c>
/// against them, run as a user runs them in two terminals.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class ClusterCommandSpecs
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Map_against_cluster_up_with_two_workers_prints_count_sum_and_both_workers_pids_and_ctrl_c_stops_every_node()
    {
        using var up = CliRunner.Start("cluster", "up", "--workers", "2");
        var cluster = await ClusterUpAsync(up);

        var (exit, stdout, stderr) = await CliRunner.RunAsync(Generous,
            "map", "--mode", "cluster", "--seeds", cluster.Seed, "--config", cluster.ClientConfig, "--job", "square", "--range", "0..100000", "--json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(100_000, json.RootElement.GetProperty("count").GetInt64());
        Assert.Equal(333_328_333_350_000, json.RootElement.GetProperty("sum").GetInt64());
        var pids = json.RootElement.GetProperty("pids").EnumerateArray().Select(pid => pid.GetInt32()).Order().ToArray();
        Assert.Equal(cluster.Workers.Order(), pids);

        up.Signal("INT");
        AssertExitedCleanly(await up.WaitForExitAsync(Generous), up);
        Assert.All(cluster.Nodes, pid => Assert.False(ProcessPool.IsRunning(pid), $"node {pid} outlived cluster up"));
    }

    [Fact]
    public async Task A_map_from_the_command_line_survives_a_worker_node_stopped_with_ctrl_c()
    {
        // A worker node killed mid-map under cluster up: Cluster_up_downs_a_worker_member_whose_process_exited_saying_why_and_the_map_stays_exact.
        using var up = CliRunner.Start("cluster", "up", "--workers", "2");
        var cluster = await ClusterUpAsync(up);
        const int count = 80_000; // sum-range: about 3 × 10^9 additions, seconds of work for two nodes on two cores
        var expected = Enumerable.Range(0, count).Sum(i => (long)i * (i - 1) / 2);

        var victim = cluster.Workers[0];
        var idle = CpuSeconds(victim);
        using var map = CliRunner.Start("map", "--mode", "cluster", "--seeds", cluster.Seed, "--config", cluster.ClientConfig,
            "--job", "sum-range", "--range", $"0..{count}", "--chunk-size", "50", "--json");
        // A worker node spends CPU only on chunks (heartbeats cost milliseconds): half a second of it means it holds work.
        await InProcessCluster.UntilAsync(() => Task.FromResult(CpuSeconds(victim) - idle > 0.5), $"worker node {victim} running chunks");
        Signal(victim, "INT");

        Assert.True(await map.WaitForExitAsync(Generous) == 0, map.Stderr);
        using var json = JsonDocument.Parse(map.Stdout);
        Assert.Equal(((long)count, expected), (json.RootElement.GetProperty("count").GetInt64(), json.RootElement.GetProperty("sum").GetInt64()));
        up.Signal("TERM");
        AssertExitedCleanly(await up.WaitForExitAsync(Generous), up);
        Assert.All(cluster.Nodes, pid => Assert.False(ProcessPool.IsRunning(pid), $"node {pid} outlived cluster up"));
    }

    [Fact]
    public async Task Cluster_status_once_as_json_lists_the_seed_and_the_workers_up()
    {
        using var up = CliRunner.Start("cluster", "up", "--workers", "1");
        var cluster = await ClusterUpAsync(up);
        JsonElement[] members = [];

        await InProcessCluster.UntilAsync(async () =>
        {
            var (exit, stdout, _) = await CliRunner.RunAsync(Generous, "cluster", "status", "--seeds", cluster.Seed, "--config", cluster.ClientConfig, "--once", "--json");
            if (exit != 0) return false;
            members = [.. JsonDocument.Parse(stdout).RootElement.GetProperty("members").EnumerateArray().Select(member => member.Clone())];
            // Each member answers for its own pid; one that has not answered yet is listed without it.
            return members.Length == 2 && members.All(member => member.GetProperty("status").GetString() == "Up"
                && member.GetProperty("pid").ValueKind == JsonValueKind.Number);
        }, "cluster status listing the seed and the worker up, each with its pid");

        Assert.Equal(["seed", "worker"], members.Select(member => member.GetProperty("roles")[0].GetString()).Order());
        Assert.Equal(cluster.Nodes.Order(), members.Select(member => member.GetProperty("pid").GetInt32()).Order());
        Assert.All(members, member => Assert.True(member.GetProperty("reachable").GetBoolean()));
        up.Signal("INT");
        AssertExitedCleanly(await up.WaitForExitAsync(Generous), up);
    }

    [Fact]
    public async Task Demo_in_cluster_mode_answers_the_pool_questions_on_the_worker_members_and_leaves()
    {
        using var up = CliRunner.Start("cluster", "up", "--workers", "1");
        var cluster = await ClusterUpAsync(up);

        var (exit, stdout, stderr) = await CliRunner.RunAsync(Generous, "demo", "--mode", "cluster", "--seeds", cluster.Seed, "--config", cluster.ClientConfig);

        Assert.True(exit == 0, stderr);
        Assert.Contains("workers on the worker members of the cluster", stdout, StringComparison.Ordinal);
        Assert.Contains("[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]", stdout, StringComparison.Ordinal);
        Assert.Contains("[499999500000, 499999500000, 499999500000, 499999500000]", stdout, StringComparison.Ordinal);
        up.Signal("INT");
        AssertExitedCleanly(await up.WaitForExitAsync(Generous), up);
    }

    [Fact]
    public async Task Cluster_up_restarts_a_worker_node_killed_with_sigkill_and_the_new_one_joins()
    {
        using var up = CliRunner.Start("cluster", "up", "--workers", "1");
        var cluster = await ClusterUpAsync(up);

        ProcessPool.Kill(cluster.Workers[0]);

        await InProcessCluster.UntilAsync(() => Task.FromResult(up.Stderr.Contains($"worker-1 (pid {cluster.Workers[0]}) exited with code 137; restarting it in 1 s (restart 1", StringComparison.Ordinal)),
            "cluster up saying it restarts the killed worker node");
        await InProcessCluster.UntilAsync(async () =>
        {
            var (exit, stdout, _) = await CliRunner.RunAsync(Generous, "cluster", "status", "--seeds", cluster.Seed, "--config", cluster.ClientConfig, "--once", "--json");
            if (exit != 0) return false;
            var members = JsonDocument.Parse(stdout).RootElement.GetProperty("members").EnumerateArray().ToArray();
            return members.Count(member => member.GetProperty("status").GetString() == "Up") == 2
                && members.All(member => member.GetProperty("pid").ValueKind != JsonValueKind.Number || member.GetProperty("pid").GetInt32() != cluster.Workers[0]);
        }, "a new worker node up beside the seed");
        up.Signal("INT");
        AssertExitedCleanly(await up.WaitForExitAsync(Generous), up);
    }

    [Fact]
    public async Task Killing_cluster_up_leaves_no_node_behind()
    {
        using var up = CliRunner.Start("cluster", "up", "--workers", "1");
        var cluster = await ClusterUpAsync(up);

        ProcessPool.Kill(up.Pid);

        await InProcessCluster.UntilAsync(() => Task.FromResult(cluster.Nodes.All(pid => !ProcessPool.IsRunning(pid))), "every node exiting after cluster up was killed");
    }

    [Theory]
    [InlineData("a worker node joins an existing cluster: give it --seeds", "node", "--role", "worker", "--mode", "cluster")]
    [InlineData("is not an address like", "node", "--role", "seed", "--seeds", "nowhere")]
    [InlineData("runs in cluster mode, not --mode processes", "node", "--role", "seed", "--mode", "processes")]
    [InlineData("--seeds joins a cluster: it needs --mode cluster", "map", "--job", "square", "--range", "0..10", "--seeds", "127.0.0.1:4053")]
    [InlineData("--mode cluster joins a running cluster: give it --seeds", "map", "--mode", "cluster", "--job", "square", "--range", "0..10")]
    [InlineData("--seeds is required", "cluster", "status", "--once")]
    [InlineData("--workers must be 1..32", "cluster", "up", "--workers", "0")]
    public async Task A_bad_cluster_argument_prints_why_and_exits_2(string why, params string[] args)
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(Generous, args);

        Assert.Equal(2, exit);
        Assert.Contains(why, stderr, StringComparison.Ordinal);
    }

    private sealed record RunningCluster(string Seed, string ClientConfig, int[] Nodes, int[] Workers);

    /// <summary>Waits for cluster up's summary: the seed's address, the client settings, and every node's pid.</summary>
    private static async Task<RunningCluster> ClusterUpAsync(CliRunner up)
    {
        await InProcessCluster.UntilAsync(() => Task.FromResult(up.Stdout.Contains("Ctrl+C stops every node", StringComparison.Ordinal) || up.Stderr.Contains("failed", StringComparison.Ordinal)),
            "cluster up printing its seed and nodes");
        var stdout = up.Stdout;
        Assert.True(stdout.Contains("Ctrl+C stops every node", StringComparison.Ordinal), up.Stderr);
        var seed = SeedLine().Match(stdout).Groups[1].Value;
        var client = ClientLine().Match(stdout).Groups[1].Value.Trim();
        var nodes = NodePid().Matches(stdout).Select(match => (Name: match.Groups[1].Value, Pid: int.Parse(match.Groups[2].Value))).ToArray();
        return new RunningCluster(seed, client, nodes.Select(n => n.Pid).ToArray(), nodes.Where(n => n.Name.StartsWith("worker", StringComparison.Ordinal)).Select(n => n.Pid).ToArray());
    }

    /// <summary>CPU time a process has used so far, user and system (Linux /proc; clock ticks of 1/100 s).</summary>
    /// <summary>cluster up ended with 0; otherwise what it wrote says why (a crash prints its unhandled exception there).</summary>
    private static void AssertExitedCleanly(int exitCode, CliRunner up) =>
        Assert.True(exitCode == 0, $"cluster up exited with {exitCode}:\n{up.Stderr}\n{up.Stdout}");

    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

    [GeneratedRegex(@"^seed: (\S+)", RegexOptions.Multiline)]
    private static partial Regex SeedLine();

    [GeneratedRegex(@"^client config: (.+)$", RegexOptions.Multiline)]
    private static partial Regex ClientLine();

    [GeneratedRegex(@"(seed|worker-\d+) \(pid (\d+)\)")]
    private static partial Regex NodePid();
}
