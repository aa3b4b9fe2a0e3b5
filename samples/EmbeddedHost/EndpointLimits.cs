using Microsoft.Extensions.Options;

namespace EmbeddedHost;

/// <summary>The limits every endpoint that takes inputs shares: JSON only, at most <c>EmbeddedHost:MaxInputs</c>, and its job class's bulkhead.</summary>
internal static class EndpointLimits
{
    /// <summary>Refuses a body that is not JSON with 415 and a problem, before the endpoint reads it.</summary>
    public static TBuilder RequireJson<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.HasJsonContentType() ? await next(context) : Problems.NotJsonContent(context.HttpContext.Request.ContentType));

    /// <summary>Refuses a list of inputs longer than <c>EmbeddedHost:MaxInputs</c> (the endpoint's array argument), as <c>POST /map</c> does.</summary>
    public static RouteHandlerBuilder WithInputLimit(this RouteHandlerBuilder builder, string job) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var most = context.HttpContext.RequestServices.GetRequiredService<IOptions<ServiceOptions>>().Value.MaxInputs;
            return context.Arguments.OfType<Array>().FirstOrDefault() is { Length: var count } && count > most
                ? Problems.TooManyInputs(count, most, job)
                : await next(context);
        });

    /// <summary>Runs the endpoint inside its job class's bulkhead (<see cref="Bulkhead"/>); 429 when it is full.</summary>
    public static RouteHandlerBuilder WithBulkhead(this RouteHandlerBuilder builder, string jobClass) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var bulkhead = context.HttpContext.RequestServices.GetRequiredService<Bulkhead>();
            using var turn = await bulkhead.EnterAsync(jobClass, context.HttpContext.RequestAborted);
            return turn.IsAcquired ? await next(context) : Problems.Busy(jobClass);
        });
}
