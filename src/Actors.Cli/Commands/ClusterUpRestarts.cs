using System.Globalization;

namespace Actors.Cli.Commands;

/// <summary>
/// Watches <c>actors cluster up</c>'s worker nodes while the cluster runs. A worker node whose
/// process exits (a crash, a kill, downed by the split brain resolver) is a certain death: its
/// member is downed at once (<see cref="ClusterObserver.DownExitedAsync"/>), so that its chunks run
/// elsewhere without waiting for the failure detector. Then, unless restarts are off, it is started
/// again with the same arguments after a backoff that doubles from <see cref="FirstBackoff"/> to
/// <see cref="MostBackoff"/> while it keeps dying, and resets once a node has run for
/// <see cref="StableAfter"/>. It joins as a new member (a new port, a new incarnation).
/// </summary>
internal sealed class ClusterUpRestarts
{
    /// <summary>The wait before the first restart of a node.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between restarts of a node that keeps dying.</summary>
    public static readonly TimeSpan MostBackoff = TimeSpan.FromSeconds(30);

    /// <summary>How long a node must run for its next death to count as the first again.</summary>
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(60);

    private readonly List<ClusterNodeProcess> _nodes;
    private readonly Func<string, ClusterNodeProcess>? _restart;
    private readonly Func<string, string, CancellationToken, Task<string>> _downExited;

    /// <param name="nodes">The running nodes, the seed first; a restarted node replaces its predecessor in place (the live view reads this list).</param>
    /// <param name="restart">Starts the node of a name again; null leaves a dead node dead (<c>--no-restart</c>).</param>
    /// <param name="downExited">Downs the member at an address whose process exited, with the reason; says what was done. Bounded.</param>
    public ClusterUpRestarts(List<ClusterNodeProcess> nodes, Func<string, ClusterNodeProcess>? restart, Func<string, string, CancellationToken, Task<string>> downExited)
    {
        _nodes = nodes;
        _restart = restart;
        _downExited = downExited;
    }

    /// <summary>Watches every worker node until <paramref name="cancellationToken"/> is cancelled (the cluster is stopping).</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_nodes.Skip(1).Select(node => node.Name).ToArray().Select(name => KeepAliveAsync(name, cancellationToken)));

    private async Task KeepAliveAsync(string name, CancellationToken cancellationToken)
    {
        var deaths = 0;
        try
        {
            while (true)
            {
                var node = Current(name);
                var started = DateTime.UtcNow;
                await node.ExitedAsync(cancellationToken);
                var exited = string.Create(CultureInfo.InvariantCulture, $"{name} (pid {node.Pid}) exited with code {node.ExitCode}");
                if (node.Address is { } address)
                    Console.Error.WriteLine($"{exited}: {await _downExited(address, $"process exited (pid {node.Pid}, code {node.ExitCode}; seen by cluster up)", cancellationToken)}");
                foreach (var line in node.LastErrors.TakeLast(3)) Console.Error.WriteLine($"  {name}: {line}");
                if (_restart is null)
                {
                    Console.Error.WriteLine($"{exited}; not restarted (--no-restart)");
                    return;
                }
                deaths = DateTime.UtcNow - started >= StableAfter ? 1 : deaths + 1;
                var wait = Actors.Processes.Backoff.After(deaths, FirstBackoff, MostBackoff);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{exited}; restarting it in {wait.TotalSeconds:0.#} s (restart {deaths}; --no-restart leaves it dead)"));
                await Task.Delay(wait, cancellationToken);
                lock (_nodes)
                {
                    var index = _nodes.IndexOf(node);
                    node.Dispose();
                    _nodes[index] = _restart(name);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The cluster is stopping: what runs now is stopped by cluster up.
        }
    }

    private ClusterNodeProcess Current(string name)
    {
        lock (_nodes) return _nodes.First(node => node.Name == name);
    }
}
