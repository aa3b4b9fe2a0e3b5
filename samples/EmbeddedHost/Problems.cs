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

    /// <summary>The same limit, worded the same, on every endpoint that takes a list of inputs.</summary>
    public static IResult TooManyInputs(long count, int most, string job) =>
        BadRequest("Too many inputs",
            $"{count:N0} inputs: at most {most:N0} per request (EmbeddedHost:MaxInputs). Send larger maps to POST /map/{job} with the inputs as a JSON array: they stream both ways.");

    public static IResult NotJsonContent(string? contentType) =>
        Results.Problem($"The body's content type is {(string.IsNullOrEmpty(contentType) ? "missing" : $"'{contentType}'")}: send JSON with 'Content-Type: application/json'.",
            statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Not JSON");

    /// <summary>The bulkhead of <paramref name="jobClass"/> is full: its permits are taken and its queue too.</summary>
    public static IResult Busy(string jobClass) => new WithHeader(
        Results.Problem($"Too many '{jobClass}' jobs run or wait now (EmbeddedHost:Bulkheads:{jobClass}); the other job classes are not held up. Try again shortly.",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Busy"),
        "Retry-After", "1");

    public static IResult Stopping() =>
        Results.Problem("The service is stopping: it finishes the requests it has and takes no more.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Stopping");

    /// <summary>The response for an error a map can end with; null for one that is not the caller's to see (a bug: let it surface).</summary>
    /// <param name="error">What the map threw: a job's own exception marked with its input (<see cref="PoolFailure"/>), or the pool's.</param>
    /// <param name="stopping">Whether the application is stopping (its pools then refuse new work).</param>
    public static IResult? For(Exception error, bool stopping) => error switch
    {
        PoolTaskException { Failure.ErrorType: "System.TimeoutException" } late => Results.Problem(late.Message, statusCode: StatusCodes.Status504GatewayTimeout,
            title: "A job ran past its time limit", extensions: Extensions(late.Failure)),
        // The job's own exception (catch it by its type in your code); which input it failed on rides along.
        _ when error.FailedInput() is { } failure => Results.Problem(failure.ToString(), statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "A job failed", extensions: Extensions(failure)),
        JsonException json => NotJson(json, "a JSON array of inputs"),
        InputTypeException input => Results.Problem(input.Message, statusCode: StatusCodes.Status400BadRequest, title: "Wrong input type",
            extensions: new Dictionary<string, object?> { ["index"] = input.Index }),
        PoolUnavailableException unavailable => Results.Problem(unavailable.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "No workers"),
        // The pool is draining or stopped: the service is shutting down.
        ObjectDisposedException or InvalidOperationException when stopping => Stopping(),
        _ => null,
    };

    private static Dictionary<string, object?> Extensions(TaskFailure failure) => new()
    {
        ["index"] = failure.Index,
        // Bounded like the detail: a huge input is not echoed back whole.
        ["input"] = failure.Input.Length <= TaskFailure.MostInputShown ? failure.Input : failure.Input[..TaskFailure.MostInputShown] + "…",
        ["error"] = failure.ErrorType,
    };

    private static string Position(JsonException error) =>
        error.LineNumber is { } line ? $" (line {line + 1}, byte {error.BytePositionInLine + 1})" : "";

    private static string FirstLine(string message) => message.Split(" LineNumber:")[0].Split(" Path:")[0].Trim();

    /// <summary>A result with a header added (problem results take no headers of their own).</summary>
    private sealed class WithHeader(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
