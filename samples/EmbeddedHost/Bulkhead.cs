using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace EmbeddedHost;

/// <summary>
/// One concurrency limiter per job class (<see cref="IHttpJob.Class"/>: <c>slow</c> for waits,
/// <c>compute</c> for the rest), from .NET's rate limiting library: five slow requests take the
/// slow class's permits and queue there, and never the workers every other request needs. A
/// request over its class's limit and queue is answered 429 with a <c>Retry-After</c>.
/// </summary>
/// <remarks>
/// Not ASP.NET Core's rate limiting middleware: it picks a limiter before the endpoint runs, and the
/// job of <c>POST /map</c> is in its body; the limiter below is the one the middleware's concurrency
/// policy uses, acquired once the job is known.
/// </remarks>
internal sealed class Bulkhead(IOptions<ServiceOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(jobClass =>
    {
        var limits = options.Value.Bulkheads.GetValueOrDefault(jobClass) ?? new BulkheadOptions { PermitLimit = int.MaxValue };
        return RateLimitPartition.GetConcurrencyLimiter(jobClass, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.PermitLimit,
            QueueLimit = limits.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }, StringComparer.OrdinalIgnoreCase);

    /// <summary>A turn for a request of <paramref name="jobClass"/>: waits in its queue; not acquired when the queue is full too.</summary>
    public ValueTask<RateLimitLease> EnterAsync(string jobClass, CancellationToken cancellationToken) =>
        _limiter.AcquireAsync(jobClass, 1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}
