using Api.Hosting;
using Contracts;
using Engine.Activations;
using Engine.Inference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Apis;

/// <summary><c>GET /v1/activations</c>: the activation functions and the models that use them.</summary>
public static class ActivationsApi
{
    public static IEndpointRouteBuilder MapActivationsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/v1/activations").WithTags("Activations");

        api.MapGet("", ListActivations)
            .WithName("ListActivations")
            .WithSummary("List the activation functions")
            .WithDescription(
                "Every activation function the engine offers: its id (the value of `?activation=` on POST /v1/classify), " +
                "formula, derivative and the loaded models that use it. An activation with no model cannot be asked for.")
            .WithResponseExample(StatusCodes.Status200OK, new[]
            {
                new ActivationInfo("relu_softsign", ActivationFunctions.ReluSoftsign.Name, ActivationFunctions.ReluSoftsign.Formula,
                    ActivationFunctions.ReluSoftsign.DerivativeFormula, ["baseline-relu_softsign", "enhanced-relu_softsign"]),
            });

        return app;
    }

    public static Ok<ActivationInfo[]> ListActivations(ModelStore store)
    {
        ModelCatalog catalog = store.Catalog;
        return TypedResults.Ok(ActivationFunctions.All
            .Select(a => new ActivationInfo(
                a.Id,
                a.Name,
                a.Formula,
                a.DerivativeFormula,
                catalog.Models.Where(m => string.Equals(m.Card.Activation, a.Id, StringComparison.OrdinalIgnoreCase)).Select(m => m.Name).ToArray()))
            .ToArray());
    }
}
