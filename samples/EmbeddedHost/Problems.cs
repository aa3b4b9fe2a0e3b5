using System.Text.Json;
using Actors.Pool;

namespace EmbeddedHost;

/// <summary>The service's errors as problem details (RFC 9457): what went wrong, and what to send instead.</summary>
internal static class Problems
{
    public const string MapExample = """{"job": "square", "inputs": [1, 2, 3]}""";

    public static IResult BadRequest(string title, string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);

    public static IResult NotJson(JsonException error, string expected) =>
        // The serializer says "could not be converted" for JSON of the wrong shape, as opposed to text that is not JSON.
        error.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? BadRequest("Not the expected JSON", $"The body is JSON of another shape. Send {expected}.")
            : BadRequest("The body is not valid JSON", $"The body is not valid JSON{Position(error)}: {FirstLine(error.Message)} Send {expected}.");

    public static IResult UnknownJob(string? job) =>
        BadRequest("Unknown job", job is null
            ? $"The body names no job: send {MapExample}. Jobs: {JobCatalog.Names}."
            : $"There is no job '{job}'. Jobs: {JobCatalog.Names}.");

    public static IResult Stopping() =>
        Results.Problem("The service is stopping: it finishes the requests it has and takes no more.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Stopping");

    /// <summary>The response for an error a map can end with; null for one that is not the caller's to see (a bug: let it surface).</summary>
    /// <param name="error">What the map threw.</param>
    /// <param name="stopping">Whether the application is stopping (its pools then refuse new work).</param>
    public static IResult? For(Exception error, bool stopping) => error switch
    {
        JsonException json => NotJson(json, "a JSON array of inputs"),
        InputTypeException input => Results.Problem(input.Message, statusCode: StatusCodes.Status400BadRequest, title: "Wrong input type",
            extensions: new Dictionary<string, object?> { ["index"] = input.Index }),
        PoolTaskException task => Results.Problem(task.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "A job failed",
            extensions: new Dictionary<string, object?>
            {
                ["index"] = task.Failure.Index,
                ["input"] = task.Failure.Input,
                ["error"] = task.Failure.ErrorType,
            }),
        PoolUnavailableException unavailable => Results.Problem(unavailable.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "No workers"),
        // The pool is draining or stopped: the service is shutting down.
        ObjectDisposedException or InvalidOperationException when stopping => Stopping(),
        _ => null,
    };

    private static string Position(JsonException error) =>
        error.LineNumber is { } line ? $" (line {line + 1}, byte {error.BytePositionInLine + 1})" : "";

    private static string FirstLine(string message) => message.Split(" LineNumber:")[0].Split(" Path:")[0].Trim();
}
