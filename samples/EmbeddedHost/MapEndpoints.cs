using System.Text.Json;
using Actors.Pool;
using Microsoft.Extensions.Options;

namespace EmbeddedHost;

/// <summary><c>POST /map</c> (inputs in the body, results in one answer) and <c>POST /map/{job}</c> (both streamed).</summary>
internal static class MapEndpoints
{
    public static void MapJobEndpoints(this WebApplication app)
    {
        app.MapPost("/map", MapAsync).RequireJson();
        app.MapPost("/map/{job}", StreamAsync).RequireJson();
    }

    /// <summary>Runs <c>{"job": NAME, "inputs": [...]}</c>; answers the outputs in input order.</summary>
    private static async Task<IResult> MapAsync(HttpRequest request, IWorkerPool pool, IOptions<ServiceOptions> options,
        IHostApplicationLifetime lifetime, Bulkhead bulkhead, CancellationToken cancellationToken)
    {
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException e)
        {
            return Problems.NotJson(e, Problems.MapExample);
        }
        using (body)
        {
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Problems.BadRequest("Not a map request", $"The body is a JSON {root.ValueKind.ToString().ToLowerInvariant()}; send an object such as {Problems.MapExample}.");
            var name = root.TryGetProperty("job", out var jobName) && jobName.ValueKind == JsonValueKind.String ? jobName.GetString() : null;
            if (JobCatalog.Find(name) is not { } job) return Problems.UnknownJob(name);
            if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array)
                return Problems.BadRequest("No inputs", $"\"inputs\" must be a JSON array of {job.Takes}, as in {Problems.MapExample}.");
            var count = inputs.GetArrayLength();
            var most = options.Value.MaxInputs;
            if (count > most) return Problems.TooManyInputs(count, most, job.Name);
            using var turn = await bulkhead.EnterAsync(job.Class, cancellationToken);
            if (!turn.IsAcquired) return Problems.Busy(job.Class);
            try
            {
                return Results.Json(await job.MapAsync(pool, inputs, cancellationToken));
            }
            catch (Exception e) when (Problems.For(e, lifetime.ApplicationStopping.IsCancellationRequested) is { } problem)
            {
                return problem;
            }
        }
    }

    /// <summary>Runs job <paramref name="job"/> over a JSON array of inputs read as it arrives; writes the outputs as they are ready.</summary>
    private static async Task StreamAsync(string job, HttpContext context, IWorkerPool pool, IHostApplicationLifetime lifetime, ILoggerFactory logs, Bulkhead bulkhead)
    {
        var cancellationToken = context.RequestAborted;
        // Inputs are read as they arrive, a window at a time: a stream of any length is fine (EmbeddedHost:MaxBodyBytes is for the others).
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = null;
        if (JobCatalog.Find(job) is not { } found)
        {
            await Problems.UnknownJob(job).ExecuteAsync(context);
            return;
        }
        using var turn = await bulkhead.EnterAsync(found.Class, cancellationToken);
        if (!turn.IsAcquired)
        {
            await Problems.Busy(found.Class).ExecuteAsync(context);
            return;
        }
        var inputs = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(context.Request.Body, cancellationToken: cancellationToken);
        await using var outputs = found.StreamAsync(pool, inputs, cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool more;
        try
        {
            more = await outputs.MoveNextAsync();
        }
        catch (Exception e) when (Problems.For(e, lifetime.ApplicationStopping.IsCancellationRequested) is { } problem)
        {
            await problem.ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "application/json";
        // Over the response's pipe, the writer's flushes only hand bytes on; sending them is awaited below.
        var pipe = context.Response.BodyWriter;
        await using var writer = new Utf8JsonWriter(pipe);
        writer.WriteStartArray();
        try
        {
            var sent = 0L;
            for (; more; more = await outputs.MoveNextAsync())
            {
                JsonSerializer.Serialize(writer, outputs.Current);
                if (writer.BytesCommitted - sent < FlushBytes) continue;
                sent = writer.BytesCommitted;
                await pipe.FlushAsync(cancellationToken);
            }
            writer.WriteEndArray();
            writer.Flush();
            await pipe.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (Problems.For(e, lifetime.ApplicationStopping.IsCancellationRequested) is not null)
        {
            // The answer has begun with 200: cutting the connection is how the client learns it is incomplete.
            logs.CreateLogger(typeof(MapEndpoints).FullName!).LogWarning("map of '{Job}' failed after its answer began; the connection is cut: {Error}", found.Name, e.Message);
            context.Abort();
        }
    }

    private const int FlushBytes = 16 * 1024;
}
