using Engine.Inference;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Api.Hosting;

/// <summary>Healthy once the models are loaded; unhealthy while loading and, with the reason, after a failure.</summary>
public sealed class ModelsHealthCheck(ModelStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        HealthCheckResult result;
        if (store.TryGetCatalog(out ModelCatalog? catalog))
        {
            result = HealthCheckResult.Healthy(
                $"{catalog.Models.Count} models loaded on {catalog.Device}.",
                new Dictionary<string, object> { ["models"] = catalog.Models.Select(m => m.Name).ToArray() });
        }
        else if (store.Failure is { } failure)
        {
            result = HealthCheckResult.Unhealthy($"Loading the models failed: {failure.Message}");
        }
        else
        {
            result = HealthCheckResult.Unhealthy("The models are loading.");
        }
        return Task.FromResult(result);
    }
}
