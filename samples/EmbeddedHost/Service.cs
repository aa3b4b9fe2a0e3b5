namespace EmbeddedHost;

/// <summary>The service around the pool and the buffer: its settings, its errors, its endpoints.</summary>
internal static class Service
{
    public static IServiceCollection AddServiceParts(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ServiceOptions>(configuration.GetSection(ServiceOptions.SectionName));
        return services.AddProblemDetails();
    }

    /// <summary>Maps <c>/map</c>, <c>/map/{job}</c>, <c>/buffer/put</c>, <c>/buffer/take</c> and <c>/health</c>, behind a gate that answers 503 once the service is stopping.</summary>
    public static WebApplication MapService(this WebApplication app)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        app.Use(async (context, next) =>
        {
            // Requests already running finish (the host waits for them); new ones are told to go elsewhere.
            if (stopping.IsCancellationRequested)
            {
                context.Response.Headers.Connection = "close";
                await Problems.Stopping().ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        app.MapJobEndpoints();
        app.MapBufferEndpoints();
        app.MapHealthEndpoint();
        return app;
    }
}
