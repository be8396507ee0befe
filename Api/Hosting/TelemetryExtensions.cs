using Engine.Inference;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Api.Hosting;

/// <summary>
/// Metrics for Prometheus at <c>/metrics</c> and, when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable is
/// set, traces (and metrics) over OTLP, all through OpenTelemetry .NET.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Where Prometheus scrapes.</summary>
    public const string MetricsPath = "/metrics";

    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The bucket bounds, in seconds, of <c>http.server.request.duration</c>.</summary>
    public static double[] RequestDurationBuckets { get; } =
        [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.0125, 0.015, 0.0175, 0.02, 0.025, 0.03, 0.035, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ServiceMetrics>();
        OpenTelemetryBuilder telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter(InferenceTelemetry.Name, ServiceMetrics.MeterName)
                // ASP.NET Core's and the runtime's own meters: requests by route and status, connections, GC, CPU, memory.
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting", "System.Runtime")
                // Requests take milliseconds: ASP.NET Core's default buckets (5, 10, 25, 50, 75 ms…) are too coarse to read
                // a p99 from, so the request histogram gets finer ones where its answers fall.
                .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration { Boundaries = RequestDurationBuckets })
                .AddPrometheusExporter());

        // Traces only where they have somewhere to go: without a listener the engine's spans are never created.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            telemetry
                .WithTracing(tracing => tracing.AddSource(InferenceTelemetry.Name, "Microsoft.AspNetCore"))
                .UseOtlpExporter();
        }
        return builder;
    }

    public static IEndpointRouteBuilder MapTelemetry(this IEndpointRouteBuilder app)
    {
        // Created now, so that its gauges report from the first scrape rather than from the first request.
        app.ServiceProvider.GetRequiredService<ServiceMetrics>();
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
