using Actors.Cluster;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.Cli.Commands;

/// <summary>
/// Watches a cluster without joining it: an actor system of its own (remoting only, TLS as the
/// cluster runs it) that asks the seeds — or any member it has seen, once a seed is gone — for the
/// membership, and every member for its own counts. Joining would add a member to the very
/// picture it reports, and churn the membership each time a status is asked for. A live view
/// refreshes with <see cref="RefreshAsync"/>, which never waits for a slow member: each member has
/// at most one question in flight, and its row shows its last answer until that question ends,
/// then "no answer" when it timed out.
/// </summary>
internal sealed class ClusterObserver : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly IReadOnlyList<Address> _seeds;
    private readonly TimeSpan _timeout;
    private IReadOnlyList<Address> _seen = [];
    /// <summary>Each node's question in flight (or the last one, ended) and its last answer; null after a question that timed out.</summary>
    private readonly Dictionary<string, (Task<NodeStatus?> Asking, NodeStatus? Last)> _asks = new();
    /// <summary>The membership as the last refresh saw it.</summary>
    private NodeStatus? _view;

    private ClusterObserver(ActorSystem system, IReadOnlyList<Address> seeds, TimeSpan timeout)
    {
        _system = system;
        _seeds = seeds;
        _timeout = timeout;
    }

    /// <summary>Starts the observer's actor system from cluster mode's <paramref name="config"/>.</summary>
    public static ClusterObserver Start(Config config, IReadOnlyList<Address> seeds)
    {
        // The command that owns the observer stops it, after its last question: terminated under it by
        // Akka's own SIGTERM hook, its questions in flight were logged as errors with stack traces.
        var observer = ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp.port = 0
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """).WithFallback(config);
        var settings = ClusterModeSettings.Create(config);
        return new ClusterObserver(ClusterNode.CreateSystem(observer, "actors-observer"), seeds, settings.StatusTimeout);
    }

    /// <summary>One snapshot; the members it lists are asked first next time, after the seeds.</summary>
    public async Task<ClusterSnapshot> TakeAsync(CancellationToken cancellationToken)
    {
        var snapshot = await ClusterSnapshot.TakeAsync(_system, _seeds.Concat(_seen), _timeout, cancellationToken);
        if (snapshot.Members.Count > 0)
            _seen = snapshot.Members.Where(member => member.Reachable).Select(member => Address.Parse(member.Address)).ToArray();
        return snapshot;
    }

    /// <summary>
    /// One refresh of a live view, ready within <paramref name="grace"/> once a membership is known:
    /// every node (seeds, and the members of the last membership seen) without a question in flight
    /// is asked again; the answers that arrive within the grace are shown, and a node still asking
    /// keeps its last answer until its question ends (within the status timeout).
    /// </summary>
    public async Task<ClusterSnapshot> RefreshAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var nodes = _seeds.Select(seed => seed.ToString())
            .Concat(_view?.Members.Where(member => member.MayAnswer).Select(member => member.Address) ?? []).Distinct().ToArray();
        foreach (var node in nodes)
        {
            var asking = _asks.GetValueOrDefault(node).Asking;
            if (asking is null || asking.IsCompleted)
                _asks[node] = (ClusterSnapshot.AskAsync(_system, Address.Parse(node), _timeout, cancellationToken), asking is null ? null : asking.Result);
        }
        foreach (var gone in _asks.Keys.Except(nodes).ToArray()) _asks.Remove(gone);
        var questions = nodes.Select(node => (Task)_asks[node].Asking).ToArray();
        // Until some node has answered, there is no membership to show: wait for one, within the status timeout.
        var wait = _view is null ? _timeout : grace;
        await Task.WhenAny(Task.WhenAll(questions), Task.Delay(wait, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        NodeStatus? Answer(string node) => _asks.TryGetValue(node, out var ask) ? (ask.Asking.IsCompleted ? ask.Asking.Result : ask.Last) : null;
        _view = nodes.Select(Answer).FirstOrDefault(answer => answer is not null);
        return _view is null ? new ClusterSnapshot(DateTimeOffset.UtcNow, null, [], []) : ClusterSnapshot.Of(_view, Answer);
    }

    /// <summary>
    /// Tells the seeds, then the members seen last, that <paramref name="member"/>'s process exited,
    /// until one answers (each within the status timeout): that member downs it once its port
    /// refuses a connection, so its chunks run elsewhere now.
    /// </summary>
    /// <returns>What the member that answered did, or why none did.</returns>
    public async Task<string> DownExitedAsync(string member, string reason, CancellationToken cancellationToken)
    {
        foreach (var contact in _seeds.Concat(_seen).Distinct().Where(contact => contact.ToString() != member))
        {
            try
            {
                var noted = await NodeStatusActor.ReportExitedAsync(_system, contact, member, reason, _timeout, cancellationToken);
                return noted.Downed ? $"member {member} downed by {contact} ({noted.Detail})" : $"member {member} not downed by {contact}: {noted.Detail}";
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Gone or busy: the next contact, if any.
            }
        }
        return $"member {member} not downed: no seed or member answered within {_timeout} (the failure detector and split brain resolver will)";
    }

    public async ValueTask DisposeAsync() => await _system.Terminate();
}
