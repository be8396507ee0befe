using Microsoft.Extensions.Options;

namespace Api.Hosting;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> and Swagger UI at <c>/swagger</c>, unless
/// <see cref="ApiDocumentationOptions.Enabled"/> turns them off.
/// </summary>
public static class OpenApiExtensions
{
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Where Swagger UI is served.</summary>
    public const string SwaggerUiPath = "/swagger";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services)
    {
        services.AddOptions<ApiDocumentationOptions>()
            .BindConfiguration(ApiDocumentationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Handwritten digits API";
            document.Info.Version = "v1";
            document.Info.Description =
                "Classifies a handwritten digit (0–9) in an uploaded image with small convolutional networks run by " +
                "ONNX Runtime, one per activation function. Errors are RFC 9457 problem details with a stable `type`.";
            return Task.CompletedTask;
        }));
    }

    public static WebApplication UseApiDocumentation(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<ApiDocumentationOptions>>().Value.Enabled)
        {
            return app;
        }

        app.MapOpenApi();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint(DocumentPath, "Handwritten digits API v1");
            options.RoutePrefix = SwaggerUiPath.TrimStart('/');
            options.DocumentTitle = "Handwritten digits API";
        });
        return app;
    }
}
