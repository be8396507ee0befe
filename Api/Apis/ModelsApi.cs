using Api.Errors;
using Api.Hosting;
using Contracts;
using Engine.Inference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Apis;

/// <summary><c>GET /v1/models</c>: the models of the models folder, their states and cards.</summary>
public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/v1/models").WithTags("Models");

        api.MapGet("", ListModels)
            .WithName("ListModels")
            .WithSummary("List the models")
            .WithDescription("Every model of the models folder, ordered by name: its `version`, its `state` (`ready`, `loading`, `failed` or " +
                             "`unloaded`, with the `reason`), the `backend` and `device` that run it, whether it is the `default`, and its card: activation, " +
                             "architecture, training set-up, validation and test accuracy, and the dead, dormant and collapsed units of each activation " +
                             "layer (`units`, and `unitHistory` from initialisation through every epoch).");

        api.MapGet("/{name}", GetModel)
            .WithName("GetModel")
            .WithSummary("Get one model")
            .WithDescription(
                "The state, backend and card of the model named `name` (case-insensitive), e.g. `enhanced-relu_softsign`. `units` gives, per activation layer, " +
                "the units (feature maps or neurons) that were dead (the activation's derivative below 1e-6 in magnitude on every test image and position: " +
                "for ReLU, output never positive), dormant (mean |output| at most a tenth of the layer's mean, Sokar et al. 2023) and collapsed " +
                "(output variance at most 1e-4 of the layer's mean unit variance) with the kept weights; `unitHistory` the same at initialisation " +
                "(epoch 0) and after every epoch.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static Ok<ModelInfo[]> ListModels(ModelStore store)
    {
        ModelCatalog catalog = store.Catalog;
        return TypedResults.Ok(catalog.Entries.Select(e => ToInfo(e, catalog)).ToArray());
    }

    public static Results<Ok<ModelInfo>, ProblemHttpResult> GetModel(string name, ModelStore store)
    {
        ModelCatalog catalog = store.Catalog;
        return catalog.TryGetEntry(name, out ModelEntry? entry)
            ? TypedResults.Ok(ToInfo(entry, catalog))
            : TypedResults.Problem(ProblemTypes.ModelNotFound.With(
                $"There is no model named '{name}'. Models: {string.Join(", ", catalog.Entries.Select(e => e.Name))}."));
    }

    private static ModelInfo ToInfo(ModelEntry entry, ModelCatalog catalog) => new(
        entry.Name,
        entry.State.ToString().ToLowerInvariant(),
        entry.Reason,
        entry.Model?.Backend.Name,
        entry.Model?.Backend.Device,
        ReferenceEquals(entry.Model, catalog.Default) && entry.Model is not null,
        entry.Card,
        entry.Version);
}
