using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace EmbeddedHost;

/// <summary>
/// Problem details for every error, not only the endpoints' own: ASP.NET Core's 400/413/415 (a body
/// that does not bind, is too large or is not JSON), 404 and 405 (status code pages), and any exception
/// (the exception handler) each carry <c>application/problem+json</c> with a <c>detail</c> saying what to do.
/// </summary>
internal static class ServiceErrors
{
    public static IServiceCollection AddServiceErrors(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= DefaultDetail(context.HttpContext, context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode));
        // A request that does not bind throws BadHttpRequestException, whose message says why, into the handler below.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services.AddExceptionHandler<ExceptionProblems>();
    }

    public static WebApplication UseServiceErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A client's bad request, or a job's failure, is answered (a problem), not logged as the service's failure.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException || Problems.For(context.Exception, stopping: false) is not null,
        });
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>A sentence for the statuses ASP.NET Core answers by itself.</summary>
    private static string? DefaultDetail(HttpContext context, int status) => status switch
    {
        StatusCodes.Status404NotFound => $"There is nothing at {context.Request.Path}. The endpoints: POST /map, POST /map/{{job}}, POST /square, POST /buffer/put, GET /buffer/take, GET /health (/ready, /live).",
        StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}{Allowed(context)}.",
        StatusCodes.Status413PayloadTooLarge => $"The body is larger than this service takes ({context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize:N0} bytes). Stream large maps to POST /map/{{job}}.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with 'Content-Type: application/json'.",
        StatusCodes.Status429TooManyRequests => "Too many requests of this kind run now. Try again shortly.",
        >= 500 => "The service failed while answering. Its log says why.",
        _ => null,
    };

    private static string Allowed(HttpContext context) =>
        context.Response.Headers.Allow is { Count: > 0 } allow ? $" (allowed: {allow})" : "";

    /// <summary>Turns an exception into problem details: a bad request with its reason, a map's error as <see cref="Problems.For"/> says, anything else 500.</summary>
    private sealed class ExceptionProblems(IHostApplicationLifetime lifetime, ILogger<ExceptionProblems> log) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            var result = exception switch
            {
                BadHttpRequestException bad => Results.Problem(Reason(bad), statusCode: bad.StatusCode, title: ReasonPhrase(bad.StatusCode)),
                _ => Problems.For(exception, lifetime.ApplicationStopping.IsCancellationRequested),
            };
            if (result is null)
            {
                log.LogError(exception, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
                result = Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "The service failed");
            }
            await result.ExecuteAsync(context);
            return true;
        }

        /// <summary>The exception's message, and its cause's first line when the body was not JSON of the parameter's type.</summary>
        private static string Reason(BadHttpRequestException bad) => bad.InnerException is JsonException json
            ? $"{bad.Message} {json.Message.Split(" Path:")[0].Split(" LineNumber:")[0].Trim()}"
            : bad.Message;

        private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
    }
}
