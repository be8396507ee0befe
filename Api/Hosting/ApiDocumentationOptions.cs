namespace Api.Hosting;

/// <summary>Whether the OpenAPI document and Swagger UI are served; bound from the <c>ApiDocumentation</c> configuration section.</summary>
public sealed class ApiDocumentationOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "ApiDocumentation";

    /// <summary>
    /// Serve <c>/openapi/v1.json</c> and Swagger UI at <c>/swagger</c>. Default <see langword="true"/>; with
    /// <see langword="false"/> both answer 404.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
