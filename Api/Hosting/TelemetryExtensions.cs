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

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ServiceMetrics>();
        OpenTelemetryBuilder telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter(InferenceTelemetry.Name, ServiceMetrics.MeterName)
                // ASP.NET Core's and the runtime's own meters: requests by route and status, connections, GC, CPU, memory.
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting", "System.Runtime")
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
