using Engine.Inference;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Api.Hosting;

/// <summary>
/// Healthy while at least one model serves (every model, with <see cref="InferenceOptions.RequireAllModels"/>);
/// the data name each model's state and, for those that do not serve, why.
/// </summary>
public sealed class ModelsHealthCheck(ModelStore store, IOptions<InferenceOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ModelCatalog catalog = store.Catalog;
        var data = catalog.Entries.ToDictionary(
            e => e.Name,
            e => (object)(e.Reason is null ? e.State.ToString().ToLowerInvariant() : $"{e.State.ToString().ToLowerInvariant()}: {e.Reason}"));
        int serving = catalog.Models.Count;
        int found = catalog.Entries.Count;
        HealthCheckResult result;
        if (!store.Loaded)
        {
            result = HealthCheckResult.Unhealthy("The models are loading.", data: data);
        }
        else if (serving == 0)
        {
            result = HealthCheckResult.Unhealthy(found == 0 ? $"No model serves: {catalog.FolderProblem ?? "the models folder holds no model."}" : $"None of the {found} models serves.", data: data);
        }
        else if (serving < found && options.Value.RequireAllModels)
        {
            result = HealthCheckResult.Unhealthy($"{serving} of {found} models serve; all are required.", data: data);
        }
        else if (serving < found)
        {
            result = HealthCheckResult.Degraded($"{serving} of {found} models serve.", data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy($"{serving} models serve.", data: data);
        }
        return Task.FromResult(result);
    }
}
