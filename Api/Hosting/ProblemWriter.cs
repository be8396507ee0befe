using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Api.Hosting;

/// <summary>
/// Writes every ProblemDetails the service answers with in one piece, with a Content-Length, as
/// <see cref="OkWithLength{T}"/> does for answers: ASP.NET Core's own writer streams it chunked, a second send per
/// problem. Under overload most answers are 503 problems, so their cost is what the accepted requests queue behind.
/// </summary>
/// <remarks>
/// Otherwise it writes what ASP.NET Core's writer would: the status filled in from the response, a <c>traceId</c>,
/// <see cref="ProblemDetailsOptions.CustomizeProblemDetails"/> applied, <c>application/problem+json</c>; and it
/// answers only clients whose Accept header admits JSON.
/// </remarks>
internal sealed class ProblemWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<HttpJsonOptions> jsonOptions) : IProblemDetailsWriter
{
    private const string ProblemJson = "application/problem+json";

    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeHeaderValue ProblemJsonType = new(ProblemJson);

    /// <inheritdoc />
    public bool CanWrite(ProblemDetailsContext context)
    {
        IList<MediaTypeHeaderValue> accepted = context.HttpContext.Request.GetTypedHeaders().Accept;
        return accepted.Count == 0 || accepted.Any(range => Json.IsSubsetOf(range) || ProblemJsonType.IsSubsetOf(range));
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        HttpContext httpContext = context.HttpContext;
        ProblemDetails problem = context.ProblemDetails;
        problem.Status ??= httpContext.Response.StatusCode;
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? httpContext.TraceIdentifier);
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);

        JsonSerializerOptions options = jsonOptions.Value.SerializerOptions;
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(problem, (JsonTypeInfo<ProblemDetails>)options.GetTypeInfo(typeof(ProblemDetails)));
        HttpResponse response = httpContext.Response;
        response.ContentType = ProblemJson;
        response.ContentLength = body.Length;
        response.BodyWriter.Write<byte>(body);
        return ValueTask.CompletedTask;
    }
}
