using Actors.Protocol;
using Akka.Actor;

namespace Actors.Pool;

// How a pool ends: drained (close + join) or stopped now (terminate).
public sealed partial class WorkerPool
{
    /// <summary>
    /// Takes no more work, lets every running call finish, then stops the pool (Python's
    /// <c>close()</c> then <c>join()</c>). Calls made meanwhile throw <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <param name="cancellationToken">Stops the wait for running calls; the pool is then disposed as it is.</param>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _lifetime.CompleteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops the pool now (Python's <c>terminate()</c>): calls still running end with
    /// <see cref="ObjectDisposedException"/>, worker processes get <c>orderly-stop-timeout</c> to stop
    /// before they are killed, and every later call throws <see cref="ObjectDisposedException"/>.
    /// Disposing again waits for the first disposal.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        lock (_lifetime)
        {
            if (_lifetime.Dispose()) _disposal = StopAsync();
        }
        return new ValueTask(_disposal!);
    }

    /// <summary>
    /// A pool whose manager is gone (its actor system shut down, or someone stopped the actor) can
    /// answer nothing more: its running calls end and later ones are refused, as after disposal.
    /// </summary>
    private async Task EndWhenManagerStopsAsync()
    {
        await Task.WhenAny(Manager.WatchAsync(_lifetime.Disposing), _system.WhenTerminated).ConfigureAwait(false);
        lock (_lifetime)
        {
            if (_lifetime.ManagerStopped()) _disposal = Task.CompletedTask;
        }
    }

    private async Task StopAsync()
    {
        try
        {
            await Manager.Ask<WorkersStopped>(StopWorkers.Instance, _settings.StopTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            // Hosts that did not stop in order are killed as the manager stops.
        }
        try
        {
            await Manager.GracefulStop(_settings.StopTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TaskCanceledException or AskTimeoutException)
        {
            // The system is shutting down already; the manager goes with it.
        }
    }
}
