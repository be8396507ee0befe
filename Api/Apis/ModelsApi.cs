using Api.Errors;
using Api.Hosting;
using Contracts;
using Engine.Inference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Apis;

/// <summary><c>GET /v1/models</c>: the loaded models' cards.</summary>
public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/v1/models").WithTags("Models");

        api.MapGet("", ListModels)
            .WithName("ListModels")
            .WithSummary("List the models")
            .WithDescription("The card of every loaded model, ordered by name: activation, architecture, training set-up, test accuracy, " +
                             "and the dead and dormant units of each activation layer (`units`, and `unitHistory` from initialisation through every epoch).")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/{name}", GetModel)
            .WithName("GetModel")
            .WithSummary("Get one model")
            .WithDescription(
                "The card of the model named `name` (case-insensitive), e.g. `enhanced-relu_softsign`. `units` gives, per activation layer, " +
                "the units (feature maps or neurons) that were dead (output never positive on any test image) and dormant (mean |output| at most " +
                "a tenth of the layer's mean, Sokar et al. 2023) with the kept weights; `unitHistory` the same at initialisation (epoch 0) and after every epoch.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    public static Ok<ModelCard[]> ListModels(ModelStore store) =>
        TypedResults.Ok(store.Catalog.Models.Select(m => m.Card).ToArray());

    public static Results<Ok<ModelCard>, ProblemHttpResult> GetModel(string name, ModelStore store)
    {
        ModelCatalog catalog = store.Catalog;
        return catalog.TryGetByName(name, out DigitModel? model)
            ? TypedResults.Ok(model.Card)
            : TypedResults.Problem(ProblemTypes.ModelNotFound.With(
                $"There is no model named '{name}'. Models: {string.Join(", ", catalog.Models.Select(m => m.Name))}."));
    }
}
