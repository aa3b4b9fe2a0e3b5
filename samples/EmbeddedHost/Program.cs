// An ASP.NET Core service with the actor system embedded: a worker pool and a buffer, injected where needed.
using System.Text.Json;
using Actors.Hosting;
using Actors.Jobs;
using Actors.Pool;
using Akka.Hosting;
using EmbeddedHost;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddActors(builder.Configuration, actors => actors.AddWorkerPool("jobs").AddBoundedBuffer<JsonElement>("items"));
builder.Services.AddAkka("embedded-host", (akka, services) => akka.WithActorsLogging(services).WithActorsHosting(services));
builder.AddServiceParts(); // settings, problem details for every error, the bulkhead, health checks, the default URL
builder.AddObservability(); // metrics and traces: Prometheus at /metrics, OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set

var app = builder.Build();
app.MapPost("/square", (IWorkerPool pool, long[] inputs, CancellationToken cancel) => pool.MapAsync(new SquareJob(), inputs, cancellationToken: cancel)).WithInputLimit("square").WithBulkhead(JobCatalog.Compute);
app.MapService().MapObservability(); // problem details for every error; POST /map, POST /map/{job}, POST /buffer/put, GET /buffer/take, GET /health (/ready, /live), GET /metrics
return await app.RunServiceAsync();
