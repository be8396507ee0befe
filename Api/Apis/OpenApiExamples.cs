using System.Text.Json;

namespace Api.Apis;

/// <summary>Example values shown in the OpenAPI document and Swagger UI.</summary>
public static class OpenApiExamples
{
    /// <summary>Sets the example of <paramref name="statusCode"/>'s <paramref name="contentType"/> response.</summary>
    public static RouteHandlerBuilder WithResponseExample<T>(
        this RouteHandlerBuilder builder, int statusCode, T example, string contentType = "application/json") =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue(statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
                && response.Content?.TryGetValue(contentType, out var mediaType) == true)
            {
                mediaType.Example = JsonSerializer.SerializeToNode(example, JsonSerializerOptions.Web);
            }
            return Task.CompletedTask;
        });
}
