using Api.Errors;
using Api.Hosting;

namespace Api.Apis;

/// <summary>
/// Answers 503 before a classification handler runs while no model serves: still loading (with
/// <c>Retry-After</c>), or every model failed (with their reasons). Handlers can then assume a catalog with models.
/// </summary>
public sealed class ModelsServingFilter(ModelStore store) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (store.Catalog.Models.Count > 0)
        {
            return await next(context);
        }
        HttpResponse response = context.HttpContext.Response;
        if (!store.Loaded)
        {
            response.Headers.RetryAfter = DigitClassifier.RetryAfterSeconds;
            return TypedResults.Problem(ProblemTypes.ModelsLoading.With("The models are loading; retry in a few seconds."));
        }
        // A model may serve once its file is fixed; the loader retries with back-off.
        response.Headers.RetryAfter = "5";
        return TypedResults.Problem(DigitClassifier.Problem(store.Catalog.Select(null, null)));
    }
}
