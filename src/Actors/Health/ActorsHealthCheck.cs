using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Actors.Hosting;
using Actors.Pool;
using Akka.Actor;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Health;

/// <summary>Which question a check answers: may this instance take work now (ready), or should it be restarted (not live).</summary>
public enum HealthKind
{
    /// <summary>Every pool has workers (busy or stuck ones are degraded), every buffer takes items.</summary>
    Ready,

    /// <summary>Every pool's manager and every buffer answers within <see cref="HealthSettings.Timeout"/>: the actor system is alive.</summary>
    Live,
}

/// <summary>
/// The health of an application's hosted pools and buffers (<see cref="HostedActors"/>), for ASP.NET
/// Core's health checks: register it with <see cref="ActorsHealthChecks"/>. Each pool and buffer is
/// in the result's data, with its condition and counts.
/// </summary>
public sealed class ActorsHealthCheck(HostedActors hosted, ActorSystem system, HealthKind kind) : IHealthCheck
{
    /// <summary>Per host, per pool: the answer count last seen and when it last changed (a check is made anew for every run).</summary>
    private static readonly ConditionalWeakTable<HostedActors, ConcurrentDictionary<string, (long Answers, long Since)>> Progress = new();

    private static readonly MethodInfo BufferMethod = typeof(ActorsHealthCheck).GetMethod(nameof(BufferAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = HealthSettings.Create(system.Settings.Config);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        var data = new Dictionary<string, object>();
        var worst = HealthStatus.Healthy;
        var said = new List<string>();
        foreach (var name in hosted.PoolNames)
        {
            var (status, sentence, details) = await PoolAsync(name, settings, deadline.Token).ConfigureAwait(false);
            data[$"pool:{name}"] = details;
            if (status < worst) worst = status;
            if (status != HealthStatus.Healthy || kind == HealthKind.Ready) said.Add(sentence);
        }
        foreach (var name in hosted.BufferNames)
        {
            var (status, sentence, details) = await BufferAsync(name, deadline.Token).ConfigureAwait(false);
            data[$"buffer:{name}"] = details;
            if (status < worst) worst = status;
            if (status != HealthStatus.Healthy) said.Add(sentence);
        }
        var description = said.Count > 0 ? string.Join("; ", said) : kind == HealthKind.Live ? "every pool and buffer answers" : "nothing to check";
        return new HealthCheckResult(worst, description, data: data);
    }

    private async Task<(HealthStatus, string, Dictionary<string, object?>)> PoolAsync(string name, HealthSettings settings, CancellationToken cancellationToken)
    {
        PoolStatus status;
        try
        {
            status = await hosted.Pool(name).GetStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or AskTimeoutException or ObjectDisposedException)
        {
            var silent = $"pool '{name}' did not answer within {settings.Timeout.TotalSeconds:0.#} s: {e.Message}";
            return (HealthStatus.Unhealthy, silent, new Dictionary<string, object?> { ["condition"] = "silent", ["description"] = silent });
        }
        var silentFor = SilentFor(name, status);
        var condition = PoolHealth.Condition(status, silentFor, settings);
        var sentence = PoolHealth.Explain(name, condition, status, silentFor);
        var health = kind == HealthKind.Live ? HealthStatus.Healthy : PoolHealth.Readiness(condition);
        return (health, sentence, new Dictionary<string, object?>
        {
            ["condition"] = condition.ToString().ToLowerInvariant(),
            ["description"] = sentence,
            ["mode"] = hosted.SettingsOf(name).Mode.ToString().ToLowerInvariant(),
            ["routees"] = status.Routees,
            ["inFlightChunks"] = status.InFlightChunks,
            ["maxInFlightChunks"] = status.MaxInFlightChunks,
            ["queuedChunks"] = status.QueuedChunks,
            ["activeJobs"] = status.ActiveJobs,
            ["retries"] = status.Retries,
            ["workerProcesses"] = status.Hosts,
            ["unavailable"] = status.Unavailable,
        });
    }

    /// <summary>How long the pool has had chunks in flight without a worker answering; zero while it answers or has nothing to do.</summary>
    private TimeSpan SilentFor(string name, PoolStatus status)
    {
        var seen = Progress.GetValue(hosted, _ => new ConcurrentDictionary<string, (long, long)>(StringComparer.Ordinal));
        var now = Stopwatch.GetTimestamp();
        var last = seen.AddOrUpdate(name, (status.Answers, now),
            (_, before) => before.Answers == status.Answers && status.InFlightChunks > 0 ? before : (status.Answers, now));
        return Stopwatch.GetElapsedTime(last.Since, now);
    }

    private async Task<(HealthStatus, string, Dictionary<string, object?>)> BufferAsync(string name, CancellationToken cancellationToken)
    {
        var itemType = hosted.Options.Buffers[name].ItemType ?? typeof(object);
        try
        {
            var view = await ((Task<Dictionary<string, object?>>)BufferMethod.MakeGenericMethod(itemType).Invoke(null, [hosted, name, cancellationToken])!).ConfigureAwait(false);
            var (completed, full) = ((bool)view["completed"]!, (int)view["waitingPuts"]! > 0);
            var sentence = completed ? $"buffer '{name}' is completed: it takes no more items"
                : full ? $"buffer '{name}' is full: {view["waitingPuts"]} puts wait for room"
                : $"buffer '{name}' takes items";
            view["description"] = sentence;
            var health = kind == HealthKind.Live || !(completed || full) ? HealthStatus.Healthy : HealthStatus.Degraded;
            return (health, sentence, view);
        }
        catch (Exception e) when (e is OperationCanceledException or AskTimeoutException or ObjectDisposedException)
        {
            var silent = $"buffer '{name}' did not answer: {e.Message}";
            return (HealthStatus.Unhealthy, silent, new Dictionary<string, object?> { ["description"] = silent });
        }
    }

    private static async Task<Dictionary<string, object?>> BufferAsync<T>(HostedActors hosted, string name, CancellationToken cancellationToken)
    {
        var snapshot = await hosted.Buffer<T>(name).GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        return new Dictionary<string, object?>
        {
            ["count"] = snapshot.Items.Count,
            ["capacity"] = snapshot.Capacity,
            ["waitingPuts"] = snapshot.WaitingPuts,
            ["waitingTakes"] = snapshot.WaitingTakes,
            ["completed"] = snapshot.IsCompleted,
        };
    }
}
