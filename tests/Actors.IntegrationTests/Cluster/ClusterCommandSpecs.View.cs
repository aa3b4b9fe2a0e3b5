using System.Globalization;
using System.Text.Json;

namespace Actors.IntegrationTests.Cluster;

// The live view (cluster status, cluster up's table) and what cluster up does when a worker node's process exits.
public sealed partial class ClusterCommandSpecs
{
    /// <summary>
    /// Neither the failure detector nor Akka's reconnection (and with it the members' own dial of a
    /// refusing port) finds a dead member within the spec: only cluster up's report of the exit can down it.
    /// A status waits 1 s for a member's answer instead of 3 (one that has not answered yet is asked again).
    /// </summary>
    private const string PatientCluster = """
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 120s
        akka.remote.retry-gate-closed-for = 120s
        actors.cluster.status-timeout = 1s
        """;

    /// <summary>A failure detector that finds a silent member within about 3 s instead of 8 (the partition rig's), and a status that waits 1 s for a member's answer instead of 3.</summary>
    private const string QuickDetector = """
        akka.cluster.failure-detector { heartbeat-interval = 500ms, acceptable-heartbeat-pause = 2s }
        actors.cluster.status-timeout = 1s
        """;

    [Fact]
    public async Task Cluster_up_downs_a_worker_member_whose_process_exited_saying_why_and_the_map_stays_exact()
    {
        var config = WriteConfig(PatientCluster);
        using var up = CliRunner.Start("cluster", "up", "--workers", "2", "--no-restart", "--config", config);
        try
        {
            var cluster = await ClusterUpAsync(up);
            var victim = cluster.Workers[0];
            var victimAddress = await AddressOfAsync(cluster, victim);
            const int count = 80_000; // sum-range: about 3 × 10^9 additions, seconds of work for two nodes on two cores
            var expected = Enumerable.Range(0, count).Sum(i => (long)i * (i - 1) / 2);
            var idle = CpuSeconds(victim);
            using var map = CliRunner.Start("map", "--mode", "cluster", "--seeds", cluster.Seed, "--config", cluster.ClientConfig,
                "--job", "sum-range", "--range", $"0..{count}", "--chunk-size", "50", "--json");
            await InProcessCluster.UntilAsync(() => Task.FromResult(CpuSeconds(victim) - idle > 0.5), $"worker node {victim} running chunks");

            ProcessPool.Kill(victim);

            Assert.True(await map.WaitForExitAsync(Generous) == 0, map.Stderr);
            using (var json = JsonDocument.Parse(map.Stdout))
                Assert.Equal(((long)count, expected), (json.RootElement.GetProperty("count").GetInt64(), json.RootElement.GetProperty("sum").GetInt64()));
            Assert.Contains($"worker-1 (pid {victim}) exited with code 137: member {victimAddress} downed by ", up.Stderr, StringComparison.Ordinal);
            Assert.Contains($"worker-1 (pid {victim}) exited with code 137; not restarted (--no-restart)", up.Stderr, StringComparison.Ordinal);
            var reason = $"process exited (pid {victim}, code 137; seen by cluster up)";
            var (_, members, _) = await StatusAsync(cluster);
            var downed = Assert.Single(members, member => member.GetProperty("address").GetString() == victimAddress);
            Assert.Contains(downed.GetProperty("status").GetString(), new[] { "Down", "Removed" });
            Assert.Contains(reason, downed.GetProperty("reason").GetString(), StringComparison.Ordinal);
            // Without a terminal: one full line per member, the reason on the downed member's line.
            var (exit, plain, _) = await CliRunner.RunAsync(Generous, "cluster", "status", "--seeds", cluster.Seed, "--config", cluster.ClientConfig, "--once");
            Assert.Equal(0, exit);
            Assert.Single(plain.Split('\n'), line => line.Contains(Short(victimAddress), StringComparison.Ordinal) && line.Contains(reason, StringComparison.Ordinal));
        }
        finally
        {
            up.Signal("INT");
            await up.WaitForExitAsync(Generous);
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Cluster_status_shows_a_submitters_pool_with_chunks_in_flight_and_inputs_done_read_from_its_meter()
    {
        using var up = CliRunner.Start("cluster", "up", "--workers", "1");
        CliRunner? map = null;
        try
        {
            var cluster = await ClusterUpAsync(up);
            // 400 sleeps of 0.2 to 0.6 s on 2 workers: over a minute, far longer than the few status calls
            // the spec makes, and the cores stay free for the nodes to answer them.
            map = CliRunner.Start("map", "--mode", "cluster", "--seeds", cluster.Seed, "--config", cluster.ClientConfig,
                "--job", "sleep", "--range", "200..600", "--chunk-size", "1", "--json");
            JsonElement pool = default;
            string submitter = "";

            await InProcessCluster.UntilAsync(async () =>
            {
                var (ok, members, pools) = await StatusAsync(cluster);
                if (!ok) return false;
                foreach (var candidate in pools)
                {
                    if (candidate.GetProperty("inFlight").GetInt32() == 0 || candidate.GetProperty("completed").GetInt64() == 0) continue;
                    pool = candidate;
                    submitter = candidate.GetProperty("member").GetString()!;
                    return members.Any(member => member.GetProperty("address").GetString() == submitter && member.GetProperty("roles")[0].GetString() == "submitter");
                }
                return false;
            }, "a pool row with chunks in flight and inputs done, on the submitting member");

            Assert.Equal("cluster", pool.GetProperty("mode").GetString());
            Assert.Equal((2, 1), (pool.GetProperty("routees").GetInt32(), pool.GetProperty("hosts").GetInt32()));
            Assert.Equal(0, pool.GetProperty("failed").GetInt64());
            // Without a terminal too: a pool section naming the submitter (a view whose submitter was
            // slow to answer shows it as "no answer" and no pool: the next one shows it).
            await InProcessCluster.UntilAsync(async () =>
            {
                var (exit, plain, _) = await CliRunner.RunAsync(Generous, "cluster", "status", "--seeds", cluster.Seed, "--config", cluster.ClientConfig, "--once");
                Assert.Equal(0, exit);
                return plain.Contains("pools (each submitter's, from its meter)", StringComparison.Ordinal) && plain.Contains(Short(submitter), StringComparison.Ordinal);
            }, "the plain status listing the submitter's pool");
        }
        finally
        {
            map?.Dispose();
            up.Signal("INT");
            await up.WaitForExitAsync(Generous);
        }
    }

    [Fact]
    public async Task Cluster_status_shows_a_stopped_member_as_no_answer_while_the_others_answer()
    {
        var config = WriteConfig(QuickDetector);
        using var up = CliRunner.Start("cluster", "up", "--workers", "2", "--no-restart", "--config", config);
        var cluster = await ClusterUpAsync(up);
        var stopped = cluster.Workers[0];
        var stoppedAddress = await AddressOfAsync(cluster, stopped);
        var seen = new List<string>();
        try
        {
            Signal(stopped, "STOP");

            await InProcessCluster.UntilAsync(async () =>
            {
                var (ok, members, _) = await StatusAsync(cluster);
                if (!ok) return false;
                var row = members.FirstOrDefault(member => member.GetProperty("address").GetString() == stoppedAddress);
                if (row.ValueKind == JsonValueKind.Undefined) return false;
                var others = members.Where(member => member.GetProperty("address").GetString() != stoppedAddress && member.GetProperty("status").GetString() == "Up").ToArray();
                seen.Add($"{row.GetProperty("status").GetString()} reachable={row.GetProperty("reachable").GetBoolean()} answered={row.GetProperty("answered").GetBoolean()}");
                return !row.GetProperty("answered").GetBoolean() && others.Length == 2 && others.All(member => member.GetProperty("answered").GetBoolean());
            }, "the stopped member without an answer, the seed and the other worker answering");

            // Silence is left to the failure detector: the member is seen unreachable (or already downed by the resolver).
            await InProcessCluster.UntilAsync(async () =>
            {
                var (ok, members, _) = await StatusAsync(cluster);
                var row = members.FirstOrDefault(member => member.GetProperty("address").GetString() == stoppedAddress);
                return ok && row.ValueKind != JsonValueKind.Undefined
                    && (!row.GetProperty("reachable").GetBoolean() || row.GetProperty("status").GetString() is "Down" or "Removed");
            }, "the stopped member unreachable or downed");
        }
        finally
        {
            Signal(stopped, "CONT");
            up.Signal("INT");
            await up.WaitForExitAsync(Generous);
            File.Delete(config);
        }
    }

    /// <summary>One <c>cluster status --once --json</c>: whether it succeeded, its members and its pools.</summary>
    private static async Task<(bool Ok, JsonElement[] Members, JsonElement[] Pools)> StatusAsync(RunningCluster cluster)
    {
        var (exit, stdout, _) = await CliRunner.RunAsync(Generous, "cluster", "status", "--seeds", cluster.Seed, "--config", cluster.ClientConfig, "--once", "--json");
        if (exit != 0) return (false, [], []);
        using var json = JsonDocument.Parse(stdout);
        return (true,
            [.. json.RootElement.GetProperty("members").EnumerateArray().Select(member => member.Clone())],
            [.. json.RootElement.GetProperty("pools").EnumerateArray().Select(pool => pool.Clone())]);
    }

    /// <summary>The cluster address of the node process <paramref name="pid"/>, once it answers the status.</summary>
    private static async Task<string> AddressOfAsync(RunningCluster cluster, int pid)
    {
        var address = "";
        await InProcessCluster.UntilAsync(async () =>
        {
            var (ok, members, _) = await StatusAsync(cluster);
            var member = members.FirstOrDefault(m => m.GetProperty("pid").ValueKind == JsonValueKind.Number && m.GetProperty("pid").GetInt32() == pid);
            if (!ok || member.ValueKind == JsonValueKind.Undefined || member.GetProperty("status").GetString() != "Up") return false;
            address = member.GetProperty("address").GetString()!;
            return true;
        }, $"node {pid} up in cluster status");
        return address;
    }

    private static string Short(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? address : address[(at + 1)..];
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-s", signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill!.WaitForExit();
    }

    private static string WriteConfig(string hocon)
    {
        var file = Path.Combine(Path.GetTempPath(), $"actors-view-spec-{Guid.NewGuid():N}.conf");
        File.WriteAllText(file, hocon);
        return file;
    }
}
