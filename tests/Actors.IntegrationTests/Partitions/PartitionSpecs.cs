using System.Text.Json;
using Xunit.Abstractions;
using static Actors.IntegrationTests.Partitions.PartitionCluster;

namespace Actors.IntegrationTests.Partitions;

/// <summary>
/// Real network partitions mid-map: links between cluster members in their own network namespaces
/// cut with <c>ip link set … down</c> (a host off the bridge) or blackhole routes (some hosts from
/// others), while <c>actors map</c> runs 90 sleeps. Each case ends with the exact answer or a
/// clear error, no input answered twice (the count of outcomes is the count of inputs, and their
/// sum is exact), no member left running on the losing side of a split, and the resolver's
/// decisions written to the test output. Skipped, with the reason, where namespaces cannot be made.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class PartitionSpecs : IClassFixture<PartitionCluster>, IAsyncLifetime
{
    /// <summary>
    /// Sleeps of 300..389 ms, one per chunk: six workers take about 15 rounds of 0.35 s, and the
    /// link is cut as soon as every worker serves the map, a second or so in. A cut worker's chunks
    /// then wait for the resolver's verdict (or the heal), so the map outlasts the decision whatever
    /// its length; a longer map would only leave more of it to the workers left after the decision.
    /// </summary>
    private const string Range = "300..390";
    private const int Count = 90, ChunkSize = 1;
    private const long Sum = (300 + 389) * 90 / 2;

    private readonly PartitionCluster _cluster;
    private readonly ITestOutputHelper _output;
    private HashSet<string> _logged = [];

    public PartitionSpecs(PartitionCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    /// <summary>Every case starts from a whole cluster: links up, every worker running, every member up and reachable (each case leaves it settled).</summary>
    public async Task InitializeAsync()
    {
        if (_cluster.Unavailable is not null) return;
        _cluster.Rig.HealCuts();
        for (var host = 1; host <= _cluster.Rig.Hosts; host++) _cluster.Rig.Rejoin(host);
        var replaced = Workers().Where(host => _cluster.Worker(host).HasExited).ToArray();
        await Task.WhenAll(replaced.Select(_cluster.ReplaceWorkerAsync));
        _logged = [.. _cluster.ResolverLines()];
    }

    public Task DisposeAsync()
    {
        if (_cluster.Unavailable is not null) return Task.CompletedTask;
        foreach (var line in _cluster.ResolverLines().Where(line => !_logged.Contains(line))) _output.WriteLine(line);
        return Task.CompletedTask;
    }

    [SkippableFact]
    public async Task A_worker_cut_from_everyone_mid_map_is_downed_by_the_majority_and_downs_itself_and_the_map_is_exact()
    {
        Skip.If(_cluster.Unavailable is not null, _cluster.Unavailable);
        var victim = _cluster.Worker(FirstWorker);
        using var map = await MidMapAsync();

        _cluster.Rig.Isolate(FirstWorker);

        await ExactAsync(map);
        Assert.Equal(1, await victim.WaitForExitAsync(Patience)); // its own resolver downed it: the lone side does not carry on
        Assert.Contains("removed from the cluster without leaving", victim.Stderr, StringComparison.Ordinal);
        _cluster.Rig.Rejoin(FirstWorker);
        Assert.DoesNotContain(Listening(victim), (await SettledAsync()).Keys);
    }

    [SkippableFact]
    public async Task The_submitter_cut_from_one_worker_ends_with_the_exact_answer_or_a_clear_error_and_no_member_on_both_sides()
    {
        Skip.If(_cluster.Unavailable is not null, _cluster.Unavailable);
        const int cut = FirstWorker + 1;
        using var map = await MidMapAsync();

        _cluster.Rig.Cut([Submitter], [cut]);

        var exit = await map.WaitForExitAsync(Patience);
        _output.WriteLine($"map exited {exit}: {map.Stdout.Trim()}\n{map.Stderr}");
        if (exit == 0) Exact(map);
        else
        {
            Assert.Equal(1, exit); // a clear failure, not a crash
            Assert.Contains("map failed after", map.Stderr, StringComparison.Ordinal);
            Assert.Contains("this member was downed by the cluster", map.Stderr, StringComparison.Ordinal);
        }
        _cluster.Rig.HealCuts();
        // Whoever the resolver downed (the submitter, the worker, or both: they sit on either side
        // of one faulty link) has left; the members still listed see each other.
        var members = await SettledAsync();
        if (!_cluster.Worker(cut).HasExited) Assert.Contains(Listening(_cluster.Worker(cut)), members.Keys);
    }

    [SkippableFact]
    public async Task Two_workers_cut_from_the_seed_and_the_submitter_are_the_minority_and_go_while_the_map_is_exact()
    {
        Skip.If(_cluster.Unavailable is not null, _cluster.Unavailable);
        int[] minority = [FirstWorker + 1, FirstWorker + 2];
        var victims = minority.Select(_cluster.Worker).ToArray();
        using var map = await MidMapAsync();

        _cluster.Rig.Cut(minority, [Seed, Submitter, FirstWorker]);

        await ExactAsync(map);
        foreach (var victim in victims)
        {
            Assert.Equal(1, await victim.WaitForExitAsync(Patience));
            Assert.Contains("removed from the cluster without leaving", victim.Stderr, StringComparison.Ordinal);
        }
        _cluster.Rig.HealCuts();
        var members = await SettledAsync();
        Assert.All(victims, victim => Assert.DoesNotContain(Listening(victim), members.Keys));
        Assert.Contains(Listening(_cluster.Worker(FirstWorker)), members.Keys);
    }

    [SkippableFact]
    public async Task A_worker_healed_after_the_resolver_downed_it_stays_gone_and_the_map_is_exact()
    {
        Skip.If(_cluster.Unavailable is not null, _cluster.Unavailable);
        var victim = _cluster.Worker(FirstWorker);
        var address = Listening(victim);
        using var map = await MidMapAsync();

        _cluster.Rig.Isolate(FirstWorker);
        await UntilAsync(() => Decided(address), "the course's resolver deciding to down the cut worker");
        _cluster.Rig.Rejoin(FirstWorker);

        await ExactAsync(map);
        Assert.Equal(1, await victim.WaitForExitAsync(Patience)); // downed: it cannot come back as the same member
        Assert.DoesNotContain(address, (await SettledAsync()).Keys);
    }

    [SkippableFact]
    public async Task A_worker_healed_before_the_resolver_decides_comes_back_and_keeps_its_chunks_and_the_map_is_exact()
    {
        Skip.If(_cluster.Unavailable is not null, _cluster.Unavailable);
        var victim = _cluster.Worker(FirstWorker);
        var address = Listening(victim);
        var decisions = Decisions();
        using var map = await MidMapAsync();

        _cluster.Rig.Isolate(FirstWorker);
        await UntilAsync(() => _cluster.SeedNode.Stderr.Split('\n').Any(line => line.Contains("UNREACHABLE", StringComparison.Ordinal) && line.Contains(address, StringComparison.Ordinal)),
            "the seed marking the cut worker unreachable");
        _cluster.Rig.Rejoin(FirstWorker);

        await ExactAsync(map);
        Assert.False(victim.HasExited, $"the worker healed in time was downed anyway:\n{victim.Stderr}");
        Assert.Equal(decisions, Decisions()); // the resolver took no decision
        var members = await SettledAsync();
        Assert.Equal(("Up", true), members[address]);
    }

    private IEnumerable<int> Workers() => Enumerable.Range(FirstWorker, PartitionCluster.Workers);

    /// <summary>Starts the map and returns once every worker member serves it (each then holds chunks).</summary>
    private async Task<CliRunner> MidMapAsync()
    {
        var map = _cluster.StartMap(Range, ChunkSize);
        await UntilAsync(() => Lines(map.Stderr, "serves the pool") >= PartitionCluster.Workers || map.HasExited, "the map's pool finding every worker member");
        Assert.False(map.HasExited, $"the map ended before the cut:\n{map.Stdout}\n{map.Stderr}");
        return map;
    }

    private static async Task ExactAsync(CliRunner map)
    {
        var exit = await map.WaitForExitAsync(Patience);
        Assert.True(exit == 0, $"map exited {exit}:\n{map.Stderr}");
        Exact(map);
    }

    /// <summary>One outcome per input (a repeated answer would raise the count) and the exact sum.</summary>
    private static void Exact(CliRunner map)
    {
        using var json = JsonDocument.Parse(map.Stdout);
        Assert.Equal((Count, Sum), (json.RootElement.GetProperty("count").GetInt64(), json.RootElement.GetProperty("sum").GetInt64()));
    }

    /// <summary>Waits until the seed sees one seed and the workers that run now, all up and reachable, and nobody else.</summary>
    private async Task<Dictionary<string, (string Status, bool Reachable)>> SettledAsync()
    {
        Dictionary<string, (string, bool)> members = [];
        string[] expected = [];
        await UntilAsync(async () =>
        {
            // Asked again each time: a worker the resolver downed may still be on its way out.
            expected = Workers().Select(_cluster.Worker).Where(worker => !worker.HasExited).Select(Listening).Append(_cluster.SeedAddress).Order().ToArray();
            members = await _cluster.MembersAsync();
            return members.Keys.Order().SequenceEqual(expected) && members.Values.All(member => member == ("Up", true));
        }, "the seed seeing exactly the seed and the workers that still run, up and reachable");
        return members;
    }

    /// <summary>Whether the course's resolver is downing the member at <paramref name="address"/> (a member address is new with each process).</summary>
    private bool Decided(string address) => _cluster.SeedNode.Stderr.Contains($"SBR is downing [UniqueAddress: ({address},", StringComparison.Ordinal);

    private int Decisions() => _cluster.ResolverLines().Count(line => line.Contains("SBR took decision", StringComparison.Ordinal));

    private static string Listening(CliRunner node)
    {
        foreach (var line in node.Stdout.Split('\n'))
            if (Actors.Protocol.WorkerHostOutput.TryParseListening(line.Trim(), out var address)) return address;
        throw new InvalidOperationException($"the node never printed its address:\n{node.Stdout}");
    }

    private static int Lines(string text, string part) => text.Split('\n').Count(line => line.Contains(part, StringComparison.Ordinal));

    private static string Last(string text) => text.Trim().Split('\n').LastOrDefault() ?? "";

    private static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Patience);
        try
        {
            // The processes live in other namespaces: their output and status are polled, with a bound.
            while (!await condition()) await Task.Delay(200, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"waited {Patience} for {what}");
        }
    }
}
