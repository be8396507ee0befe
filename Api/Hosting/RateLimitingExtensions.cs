using System.Globalization;
using System.Threading.RateLimiting;
using Api.Errors;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Api.Hosting;

/// <summary>Per-client rate limiting with ASP.NET Core's rate limiter, configured by <see cref="RateLimitingOptions"/>.</summary>
public static partial class RateLimitingExtensions
{
    // A client with no IP address (an in-process test server, a Unix socket) shares one bucket with its peers.
    private const string UnknownClient = "unknown";

    /// <summary>Binds <see cref="RateLimitingOptions"/> and, when they enable it, sets up one token bucket per client.</summary>
    public static IServiceCollection AddClientRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitingOptions>()
            .BindConfiguration(RateLimitingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<RateLimitingOptions>>((limiter, options) =>
            {
                RateLimitingOptions limits = options.Value;
                if (!limits.Enabled)
                {
                    return;
                }

                var bucket = new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.BucketSize,
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    AutoReplenishment = true,
                    // Excess requests are refused at once; queueing them would only hold their connections open.
                    QueueLimit = 0,
                };
                limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    RateLimitPartition.GetTokenBucketLimiter(ClientOf(context, limits.ClientHeader), _ => bucket));
                limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                limiter.OnRejected = (rejected, cancellationToken) => WriteRejectionAsync(rejected, limits);
            });
        return services;
    }

    /// <summary>Applies the limits to every request that reaches it, except the health endpoints'.</summary>
    public static IApplicationBuilder UseClientRateLimiting(this IApplicationBuilder app) => app.UseRateLimiter();

    private static string ClientOf(HttpContext context, string? clientHeader)
    {
        if (!string.IsNullOrEmpty(clientHeader) && context.Request.Headers[clientHeader] is { Count: > 0 } named && !string.IsNullOrEmpty(named[0]))
        {
            return "header:" + named[0];
        }
        return context.Connection.RemoteIpAddress is { } address ? "ip:" + address : UnknownClient;
    }

    private static ValueTask WriteRejectionAsync(OnRejectedContext rejected, RateLimitingOptions limits)
    {
        HttpContext context = rejected.HttpContext;
        TimeSpan retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait) ? wait : TimeSpan.FromSeconds(1);
        int seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        ILogger logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitingExtensions));
        LogRejected(logger, limits.PermitsPerSecond, seconds);
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = ProblemTypes.TooManyRequests.With(
                $"This client sent more than its {limits.PermitsPerSecond} requests per second (bursts of up to {limits.BucketSize}). " +
                $"Retry after {seconds} s."),
        });
    }

    // Debug: a client that floods the API would otherwise flood the log as well.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a request over the rate limit of {PermitsPerSecond}/s; retry after {RetryAfterSeconds} s")]
    private static partial void LogRejected(ILogger logger, int permitsPerSecond, int retryAfterSeconds);
}
