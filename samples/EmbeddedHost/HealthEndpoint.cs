using System.Text.Json;
using Actors.Hosting;
using Microsoft.Extensions.Options;

namespace EmbeddedHost;

/// <summary><c>GET /health</c>: every pool's status and every buffer's fill; 503 while a pool has no workers.</summary>
internal static class HealthEndpoint
{
    public static void MapHealthEndpoint(this WebApplication app) => app.MapGet("/health", GetAsync);

    private static async Task<IResult> GetAsync(HostedActors hosted, IOptions<ServiceOptions> options, CancellationToken requestAborted)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        deadline.CancelAfter(options.Value.HealthTimeout);
        var cancellationToken = deadline.Token;
        var pools = new Dictionary<string, object>();
        var healthy = true;
        foreach (var name in hosted.PoolNames)
        {
            var status = await hosted.Pool(name).GetStatusAsync(cancellationToken);
            healthy &= status.Routees > 0;
            pools[name] = new
            {
                mode = hosted.SettingsOf(name).Mode.ToString().ToLowerInvariant(),
                routees = status.Routees,
                inFlightChunks = status.InFlightChunks,
                maxInFlightChunks = status.MaxInFlightChunks,
                queuedChunks = status.QueuedChunks,
                activeJobs = status.ActiveJobs,
                retries = status.Retries,
                workerProcesses = status.Hosts,
                unavailable = status.Unavailable,
            };
        }
        var buffers = new Dictionary<string, object>();
        foreach (var name in hosted.BufferNames)
        {
            var snapshot = await hosted.Buffer<JsonElement>(name).GetSnapshotAsync(cancellationToken);
            buffers[name] = new
            {
                count = snapshot.Items.Count,
                capacity = snapshot.Capacity,
                waitingPuts = snapshot.WaitingPuts,
                waitingTakes = snapshot.WaitingTakes,
                completed = snapshot.IsCompleted,
            };
        }
        return Results.Json(new { status = healthy ? "ready" : "unavailable", pools, buffers },
            statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
