using System.Globalization;
using Actors.Cluster;

namespace Actors.IntegrationTests.Cluster;

/// <summary>
/// One port, one node: a node (or <c>cluster up</c>) given a port another node already listens on
/// refuses to start, exits 2 and names the port, instead of listening beside it (SO_REUSEPORT).
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ClusterPortSpecs : IAsyncLifetime
{
    private readonly ClusterProcesses _cluster = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_seed_given_the_port_another_seed_listens_on_exits_2_naming_the_port()
    {
        var port = await SeedPortAsync();

        var (exit, stdout, stderr) = await CliRunner.RunAsync(ClusterProcesses.Patience,
            "node", "--role", ClusterNodeOptions.SeedRole, "--port", port, "--config", _cluster.ConfigFile("second-seed"));

        Assert.True(exit == 2, $"exit {exit}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.Contains($"port {port} on 127.0.0.1 is in use", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("listening at", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cluster_up_given_a_taken_port_says_so_and_exits_2()
    {
        var port = await SeedPortAsync();

        var (exit, stdout, stderr) = await CliRunner.RunAsync(ClusterProcesses.Patience, "cluster", "up", "--workers", "1", "--port", port);

        Assert.True(exit == 2, $"exit {exit}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.Contains($"port {port} on 127.0.0.1 is in use", stderr, StringComparison.Ordinal);
    }

    /// <summary>Starts a seed on a free port and returns that port, now taken.</summary>
    private async Task<string> SeedPortAsync()
    {
        var (_, address) = await _cluster.StartNodeAsync("seed", ClusterNodeOptions.SeedRole, []);
        return new Uri(address).Port.ToString(CultureInfo.InvariantCulture);
    }
}
