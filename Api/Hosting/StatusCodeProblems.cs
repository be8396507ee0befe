using System.Collections.Frozen;
using Api.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Api.Hosting;

/// <summary>
/// Gives every ProblemDetails the API writes a <c>type</c> in its own scheme (<c>urn:digits:problem:…</c>): the
/// bodiless statuses that routing and model binding leave for <c>UseStatusCodePages</c> (400, 404, 405, 415…) and
/// the 500 of an unhandled exception, which ASP.NET Core would otherwise type with links to RFC 9110's sections.
/// </summary>
public static class StatusCodeProblems
{
    // A path echoed in a detail is cut here: the detail is for a person, and a 7 KB path helps nobody.
    private const int MaxEchoedPathLength = 200;

    private static readonly string OurPrefix = ProblemTypes.NotFound.Type[..^ProblemTypes.NotFound.Slug.Length];

    private static readonly FrozenDictionary<int, ProblemType> ByStatus = new[]
    {
        ProblemTypes.BadRequest,
        ProblemTypes.NotFound,
        ProblemTypes.MethodNotAllowed,
        ProblemTypes.RequestTooLarge,
        ProblemTypes.UriTooLong,
        ProblemTypes.MediaTypeUnsupported,
        ProblemTypes.TooManyRequests,
        ProblemTypes.HeadersTooLarge,
        ProblemTypes.InternalError,
    }.ToFrozenDictionary(type => type.Status);

    /// <summary>Rewrites the <c>type</c> and <c>title</c> of problems not typed by the API, and fills in a missing <c>detail</c>.</summary>
    public static IServiceCollection AddStatusCodeProblems(this IServiceCollection services)
    {
        services.Configure<ProblemDetailsOptions>(options =>
        {
            Action<ProblemDetailsContext>? previous = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                previous?.Invoke(context);
                Apply(context);
            };
        });
        return services;
    }

    /// <summary>
    /// The problem type for a status that no more specific type covers: a named one for the statuses the pipeline
    /// produces, <c>urn:digits:problem:http-&lt;status&gt;</c> for any other.
    /// </summary>
    public static ProblemType ForStatus(int status) =>
        ByStatus.TryGetValue(status, out ProblemType? type)
            ? type
            : new ProblemType(
                "http-" + status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                status,
                ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "HTTP error");

    private static void Apply(ProblemDetailsContext context)
    {
        ProblemDetails problem = context.ProblemDetails;
        if (problem.Type is not null && problem.Type.StartsWith(OurPrefix, StringComparison.Ordinal))
        {
            return;
        }

        int status = problem.Status ?? context.HttpContext.Response.StatusCode;
        ProblemType type = ForStatus(status);
        problem.Type = type.Type;
        problem.Title = type.Title;
        problem.Status = status;
        problem.Detail ??= DefaultDetail(context.HttpContext, status);
    }

    private static string DefaultDetail(HttpContext context, int status)
    {
        HttpRequest request = context.Request;
        string path = request.Path.HasValue ? request.Path.Value! : "/";
        if (path.Length > MaxEchoedPathLength)
        {
            path = string.Concat(path.AsSpan(0, MaxEchoedPathLength), "…");
        }

        return status switch
        {
            StatusCodes.Status400BadRequest => "The request is malformed: a parameter, a header or the body could not be read.",
            StatusCodes.Status404NotFound => $"Nothing is served at {request.Method} {path}.",
            StatusCodes.Status405MethodNotAllowed => context.Response.Headers.Allow is { Count: > 0 } allow
                ? $"{request.Method} is not allowed on {path}; allowed: {allow}."
                : $"{request.Method} is not allowed on {path}.",
            StatusCodes.Status415UnsupportedMediaType => "The request's Content-Type is not accepted by this endpoint.",
            StatusCodes.Status500InternalServerError => "The server failed to process the request. The failure is logged with this response's traceId.",
            _ => $"The request failed with status {status}.",
        };
    }
}
