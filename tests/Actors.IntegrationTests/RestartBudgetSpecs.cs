using Actors.Jobs;
using Actors.Pool;
using Akka.TestKit.Xunit2;

namespace Actors.IntegrationTests;

/// <summary>
/// <c>actors.pool.processes.max-restarts-per-minute</c> over one real worker process killed with
/// SIGKILL: 0 means a dead worker process is never replaced, and a spent budget is said as such —
/// callers hear why at once rather than waiting for a start that will not come.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class RestartBudgetSpecs() : TestKit(ProcessPool.Tls.Setup(ProcessPool.Config(1, "actors.pool.processes.max-restarts-per-minute = 0"))), IAsyncLifetime
{
    private readonly HashSet<int> _pids = [];

    public Task InitializeAsync()
    {
        ProcessPool.Tls.Attach(Sys);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        foreach (var pid in _pids) ProcessPool.Kill(pid);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_budget_of_0_never_replaces_a_dead_worker_process_and_the_next_map_fails_at_once_saying_so()
    {
        await using var pool = WorkerPool.Create(Sys, "pool");
        await pool.WhenReadyAsync(TimeSpan.FromMinutes(1));
        var progress = new InlineProgress<MapProgress>(report => _pids.UnionWith(report.Pids));
        Assert.Equal(new long[] { 1, 4 }, await pool.MapAsync(new SquareJob(), [1L, 2], new MapOptions { Progress = progress }));
        var worker = Assert.Single(_pids);

        ProcessPool.Kill(worker);
        await AwaitAssertAsync(async () => Assert.Contains("not replaced", (await pool.GetStatusAsync()).Unavailable ?? ""),
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        var failed = await Assert.ThrowsAnyAsync<Exception>(() => pool.MapAsync(new SquareJob(), [3L]).WaitAsync(TimeSpan.FromSeconds(30)));
        var waited = await Assert.ThrowsAsync<PoolUnavailableException>(() => pool.WhenReadyAsync(TimeSpan.FromSeconds(1)));

        Assert.Contains("max-restarts-per-minute = 0", failed.Message, StringComparison.Ordinal);
        Assert.Contains("not replaced", waited.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await pool.GetStatusAsync()).Hosts);
    }
}
