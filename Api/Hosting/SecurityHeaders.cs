using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Api.Hosting;

/// <summary>
/// Response headers that tell browsers to run nothing but this origin's own files, never to sniff a content type,
/// never to frame the API and never to send a referrer; and no <c>Server</c> header naming the web server.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts, styles, fonts and <c>fetch()</c> from this origin only, no inline code, no plugins, no framing.
    /// Images may also be <c>data:</c> URIs (Swagger UI's icons) and <c>blob:</c> URLs (a downloaded response body,
    /// or an image a page previews before uploading it).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// <see cref="ContentSecurityPolicy"/> with inline styles allowed, for Swagger UI under <c>/swagger</c>. Its page
    /// loads its scripts as files and builds its configuration in <c>index.js</c>, so scripts stay same-origin only;
    /// but its bundle applies an inline style as it renders, which the stricter policy blocks.
    /// </summary>
    public const string SwaggerUiContentSecurityPolicy = ContentSecurityPolicy + "; style-src 'self' 'unsafe-inline'";

    /// <summary>Drops Kestrel's <c>Server</c> header.</summary>
    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services)
    {
        services.Configure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);
        return services;
    }

    /// <summary>
    /// Adds the headers to every response the application writes, errors included. Call it first, so that no
    /// middleware can answer before it. Kestrel's own answers to requests it cannot parse never reach the application.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Set as the response starts rather than now: the exception handler clears the headers of a failed response.
            context.Response.OnStarting(AddHeaders, context.Response);
            return next(context);
        });

    private static Task AddHeaders(object state)
    {
        HttpResponse response = (HttpResponse)state;
        IHeaderDictionary headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = response.HttpContext.Request.Path.StartsWithSegments(OpenApiExtensions.SwaggerUiPath, StringComparison.OrdinalIgnoreCase)
            ? SwaggerUiContentSecurityPolicy
            : ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        return Task.CompletedTask;
    }
}
