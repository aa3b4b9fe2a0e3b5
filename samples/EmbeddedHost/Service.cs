namespace EmbeddedHost;

/// <summary>The service around the pool and the buffer: its settings, its errors, its limits, its health, its endpoints.</summary>
internal static class Service
{
    /// <summary>The service's settings, problem details for every error, the bulkhead and the health checks; the default URL when none is given.</summary>
    public static IServiceCollection AddServiceParts(this WebApplicationBuilder builder)
    {
        builder.ListenOnDefaultUrlsUnlessTold();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize =
            builder.Configuration.GetSection(ServiceOptions.SectionName).Get<ServiceOptions>()?.MaxBodyBytes ?? new ServiceOptions().MaxBodyBytes);
        var services = builder.Services;
        services.Configure<ServiceOptions>(builder.Configuration.GetSection(ServiceOptions.SectionName));
        services.AddSingleton<Bulkhead>();
        services.AddServiceHealth();
        return services.AddServiceErrors();
    }

    /// <summary>
    /// <see cref="ServiceOptions.DefaultUrls"/>, only when nothing else says where to listen: unlike
    /// appsettings.json's <c>Urls</c>, it never overrides <c>--urls</c>, <c>ASPNETCORE_URLS</c> or
    /// <c>ASPNETCORE_HTTP_PORTS</c> (what containers set).
    /// </summary>
    private static void ListenOnDefaultUrlsUnlessTold(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var told = new[] { "urls", "http_ports", "https_ports" }.Any(key => !string.IsNullOrWhiteSpace(configuration[key]))
            || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!told) builder.WebHost.UseUrls(configuration[$"{ServiceOptions.SectionName}:{nameof(ServiceOptions.DefaultUrls)}"] ?? new ServiceOptions().DefaultUrls);
    }

    /// <summary>
    /// Problem details for every error (<see cref="ServiceErrors"/>), then <c>/map</c>, <c>/map/{job}</c>, <c>/buffer/put</c>,
    /// <c>/buffer/take</c> and <c>/health</c>, behind a gate that answers 503 once the service is stopping.
    /// </summary>
    public static WebApplication MapService(this WebApplication app)
    {
        app.UseServiceErrors();
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
        app.MapHealthEndpoints();
        return app;
    }

    /// <summary>Runs the service; a start that fails (its port in use) is said in one line and exits 1, not with a crash.</summary>
    public static async Task<int> RunServiceAsync(this WebApplication app)
    {
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"error: the service cannot start: {e.Message}");
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await app.StopAsync(stop.Token);
            return 1;
        }
        await app.WaitForShutdownAsync();
        return 0;
    }
}
