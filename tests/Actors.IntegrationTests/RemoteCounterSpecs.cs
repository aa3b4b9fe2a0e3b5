using SharedState;
using SharedState.Processes;

namespace Actors.IntegrationTests;

/// <summary>
/// <c>multiprocessing.Value</c>/<c>Manager</c> → an actor owns the value and real client OS
/// processes (the SharedState sample's executable in its client role) reach it over Akka.Remote.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class RemoteCounterSpecs : IAsyncLifetime
{
    private readonly SharedStateSettings _settings = SharedStateSettings.Default;
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromMinutes(3));
    private CounterOwner _owner = null!;

    public Task InitializeAsync()
    {
        _owner = CounterOwner.Start(_settings, clients: 2);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        // Kills any client still running, then stops the owner.
        await _owner.DisposeAsync();
        _deadline.Dispose();
    }

    [Fact]
    public async Task Two_client_processes_must_increment_the_owners_counter_to_an_exact_total()
    {
        await _owner.StartClientsAsync(increments: 100_000, rounds: 1, _deadline.Token);

        await _owner.RunRoundAsync(first: true, _deadline.Token);
        await _owner.WaitForClientsAsync(_deadline.Token);
        var count = await _owner.GetCountAsync(_deadline.Token);

        Assert.Equal(200_000, count.Total);
        Assert.Equal([100_000L, 100_000L], count.Slots);
        var pids = _owner.Clients.Select(client => client.Pid).ToList();
        Assert.Equal(2, pids.Distinct().Count());
        Assert.DoesNotContain(Environment.ProcessId, pids);
        Assert.All(_owner.Clients, client => Assert.Contains("100000 confirmed by the owner", client.Output));
    }

    [Fact]
    public async Task Clients_must_meet_the_owner_at_the_barrier_every_round_and_keep_counting()
    {
        await _owner.StartClientsAsync(increments: 1_000, rounds: 3, _deadline.Token);

        for (var round = 0; round < 3; round++) await _owner.RunRoundAsync(first: round == 0, _deadline.Token);
        await _owner.WaitForClientsAsync(_deadline.Token);

        Assert.Equal(6_000, (await _owner.GetCountAsync(_deadline.Token)).Total);
    }

    [Fact]
    public async Task The_processes_row_must_report_the_exact_total_from_two_other_processes()
    {
        var result = await ProcessesRow.RunAsync(_settings with { ClientIncrements = 10_000 }, _deadline.Token);

        Assert.Equal(20_000, result.Expected);
        Assert.Equal(20_000, result.Count.Total);
        Assert.DoesNotContain(result.OwnerPid, result.ClientPids);
    }
}
