using System.Collections.Concurrent;
using Actors.Pool;
using Akka.TestKit.Xunit2;

namespace Actors.IntegrationTests;

/// <summary>
/// A spec over a pool of 2 real worker processes that run the test jobs, started before each spec
/// and ready when it begins. The worker processes a map reports (<see cref="Tracked"/>) are killed
/// after the spec if the pool's orderly stop left any, and the spec fails if one outlived its pool.
/// </summary>
public abstract class ProcessPoolSpec : TestKit, IAsyncLifetime
{
    protected ProcessPoolSpec() : base(ProcessPool.Tls.Setup(ProcessPool.Config(2, ProcessPool.WithTestJobs))) => ProcessPool.Tls.Attach(Sys);

    /// <summary>The pool under test.</summary>
    protected WorkerPool Pool { get; private set; } = null!;

    /// <summary>The process ids that maps reported their chunks ran in.</summary>
    protected ConcurrentDictionary<int, byte> PidsSeen { get; } = new();

    public async Task InitializeAsync()
    {
        Pool = WorkerPool.Create(Sys, "pool");
        await AwaitAssertAsync(async () => Assert.Equal(2, (await Pool.GetStatusAsync()).Routees),
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
    }

    public async Task DisposeAsync()
    {
        var workers = PidsSeen.Keys.Where(pid => pid != Environment.ProcessId).ToList();
        await Pool.DisposeAsync();
        foreach (var pid in workers) ProcessPool.Kill(pid); // in case the orderly stop failed
        Assert.All(workers, pid => Assert.False(ProcessPool.IsRunning(pid), $"worker process {pid} outlived its pool"));
    }

    /// <summary>Remembers the process ids a map reported.</summary>
    protected void Track(IEnumerable<int> pids)
    {
        foreach (var pid in pids) PidsSeen.TryAdd(pid, 0);
    }

    /// <summary>The options with a progress report that tracks the worker processes the map ran in, and tells <paramref name="report"/> too.</summary>
    protected MapOptions Tracked(MapOptions? options = null, Action<MapProgress>? report = null) =>
        (options ?? new MapOptions()) with
        {
            Progress = new InlineProgress<MapProgress>(progress =>
            {
                Track(progress.Pids);
                report?.Invoke(progress);
            }),
        };
}
