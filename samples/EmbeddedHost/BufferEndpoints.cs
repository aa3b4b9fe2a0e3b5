using System.Text.Json;
using Actors.Buffer;
using Microsoft.Extensions.Options;

namespace EmbeddedHost;

/// <summary>
/// <c>POST /buffer/put</c> and <c>GET /buffer/take</c>: the course's producer/consumer list as a service.
/// Producers and consumers are HTTP clients; the bounded buffer actor holds the items, makes a
/// producer wait while it is full and a consumer while it is empty.
/// </summary>
internal static class BufferEndpoints
{
    public static void MapBufferEndpoints(this WebApplication app)
    {
        app.MapPost("/buffer/put", PutAsync).RequireJson();
        app.MapGet("/buffer/take", TakeAsync);
    }

    /// <summary>Puts the items of a JSON array, in order; waits for room up to <c>EmbeddedHost:BufferWait</c>.</summary>
    private static async Task<IResult> PutAsync(HttpRequest request, BoundedBuffer<JsonElement> buffer, IOptions<ServiceOptions> options, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            return Problems.NotJson(e, "a JSON array of items, such as [1, 2, 3]");
        }
        if (body.ValueKind != JsonValueKind.Array)
            return Problems.BadRequest("Not a list of items", $"The body is a JSON {body.ValueKind.ToString().ToLowerInvariant()}; send a JSON array of items, such as [1, 2, 3].");
        // The same limit as every endpoint that takes a list.
        if (body.GetArrayLength() is var count && count > options.Value.MaxInputs)
            return Problems.BadRequest("Too many items", $"{count:N0} items: at most {options.Value.MaxInputs:N0} per put (EmbeddedHost:MaxInputs). Put them in several requests.");

        var items = body.EnumerateArray().Select(item => item.Clone()).ToArray();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(options.Value.BufferWait);
        var put = 0;
        try
        {
            foreach (var item in items)
            {
                await buffer.PutAsync(item, wait.Token);
                put++;
            }
            return Results.Json(new { put });
        }
        catch (BufferCompletedException e)
        {
            return Results.Problem($"{e.Message} The first {put} of {items.Length} items went in.", statusCode: StatusCodes.Status410Gone, title: "The buffer takes no more items");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A cancelled put did not happen: the items from this one on are not in the buffer.
            return Results.Problem($"The buffer stayed full for {options.Value.BufferWait.TotalSeconds:0.#} s: the first {put} of {items.Length} items went in, the rest did not; send them again.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "The buffer is full");
        }
    }

    /// <summary>Takes up to <c>max</c> items; waits for one up to <c>EmbeddedHost:BufferWait</c>, then answers 204.</summary>
    private static async Task<IResult> TakeAsync(BoundedBuffer<JsonElement> buffer, IOptions<ServiceOptions> options, CancellationToken cancellationToken, int? max = null)
    {
        var most = options.Value.MaxTake;
        if (max is < 1 || max > most)
            return Problems.BadRequest("Bad max", $"max = {max}: take 1 to {most} items at a time (EmbeddedHost:MaxTake).");
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(options.Value.BufferWait);
        var items = new List<JsonElement>();
        try
        {
            items.Add(await buffer.TakeAsync(wait.Token));
        }
        catch (BufferCompletedException)
        {
            return Results.Problem("The buffer is completed and every item has been taken.", statusCode: StatusCodes.Status410Gone, title: "The buffer is drained");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The take was withdrawn with nothing taken: no item is lost.
            return Results.NoContent();
        }
        // The rest only as far as they are there now: a take waits for its first item, not for max.
        while (items.Count < (max ?? most) && buffer.Reader.TryRead(out var item)) items.Add(item);
        return Results.Json(items);
    }
}
