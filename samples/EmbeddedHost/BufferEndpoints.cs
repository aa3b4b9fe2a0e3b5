using System.Text.Json;
using Actors.Buffer;
using Microsoft.Extensions.Options;

namespace EmbeddedHost;

/// <summary>
/// <c>POST /buffer/put</c> and <c>GET /buffer/take</c>: the seed's producer/consumer list as a service.
/// Producers and consumers are HTTP clients; the bounded buffer actor holds the items, makes a
/// producer wait while it is full and a consumer while it is empty.
/// </summary>
internal static class BufferEndpoints
{
    public static void MapBufferEndpoints(this WebApplication app)
    {
        app.MapPost("/buffer/put", PutAsync);
        app.MapGet("/buffer/take", TakeAsync);
    }

    /// <summary>Puts the items of a JSON array, in order; waits for room up to <c>EmbeddedHost:BufferWait</c>.</summary>
    private static async Task<IResult> PutAsync(HttpRequest request, BoundedBuffer buffer, IOptions<ServiceOptions> options, CancellationToken cancellationToken)
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

        var items = body.EnumerateArray().Select(item => (object)item.Clone()).ToArray();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(options.Value.BufferWait);
        try
        {
            await buffer.PutAsync(items, wait.Token);
            return Results.Json(new { put = items.Length });
        }
        catch (BufferCompletedException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status410Gone, title: "The buffer takes no more items");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // This buffer's put is not withdrawn by cancelling: the items still go in once there is room.
            return Results.Problem($"The buffer stayed full for {options.Value.BufferWait.TotalSeconds:0.#} s; the items go in, in order, as consumers make room.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "The buffer is full");
        }
    }

    /// <summary>Takes up to <c>max</c> items; waits for one up to <c>EmbeddedHost:BufferWait</c>, then answers 204.</summary>
    private static async Task<IResult> TakeAsync(BoundedBuffer buffer, IOptions<ServiceOptions> options, CancellationToken cancellationToken, int? max = null)
    {
        var most = options.Value.MaxTake;
        if (max is < 1 || max > most)
            return Problems.BadRequest("Bad max", $"max = {max}: take 1 to {most} items at a time (EmbeddedHost:MaxTake).");
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(options.Value.BufferWait);
        try
        {
            var items = await buffer.TakeAsync(max ?? most, wait.Token);
            return items.Count == 0
                ? Results.Problem("The buffer is completed and every item has been taken.", statusCode: StatusCodes.Status410Gone, title: "The buffer is drained")
                : Results.Json(items);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The take was withdrawn with nothing taken: no item is lost.
            return Results.NoContent();
        }
    }
}
