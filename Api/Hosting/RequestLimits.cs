using Api.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Api.Hosting;

/// <summary>
/// Answers a request whose line or headers are too long with a 414 or 431 ProblemDetails. Kestrel checks the same
/// things while it parses a request, before any middleware runs, and answers with an empty body: so its limits are
/// raised <see cref="RequestLimitsOptions.ServerHeadroom"/> times above the API's, and the API checks its own.
/// </summary>
public static class RequestLimits
{
    /// <summary>Binds <see cref="RequestLimitsOptions"/> and raises Kestrel's limits above them.</summary>
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<RequestLimitsOptions>()
            .BindConfiguration(RequestLimitsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<RequestLimitsOptions>>((kestrel, options) =>
            {
                RequestLimitsOptions limits = options.Value;
                kestrel.Limits.MaxRequestLineSize = limits.MaxRequestLineBytes * RequestLimitsOptions.ServerHeadroom;
                kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersBytes * RequestLimitsOptions.ServerHeadroom;
                kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount * RequestLimitsOptions.ServerHeadroom;
            });
        return services;
    }

    /// <summary>Checks every request against the limits before anything reads it.</summary>
    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app)
    {
        RequestLimitsOptions limits = app.ApplicationServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value;
        IProblemDetailsService problemDetails = app.ApplicationServices.GetRequiredService<IProblemDetailsService>();
        return app.Use(async (context, next) =>
        {
            if (Check(context, limits) is not { } problem)
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = problem.Status!.Value;
            await problemDetails.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
        });
    }

    private static ProblemDetails? Check(HttpContext context, RequestLimitsOptions limits)
    {
        HttpRequest request = context.Request;
        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : request.PathBase.ToUriComponent() + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        // As Kestrel counts it: "METHOD target PROTOCOL\r\n".
        int lineBytes = request.Method.Length + 1 + target.Length + 1 + request.Protocol.Length + 2;
        if (lineBytes > limits.MaxRequestLineBytes)
        {
            return ProblemTypes.UriTooLong.With(
                $"The request line is {lineBytes:N0} bytes long; the limit is {limits.MaxRequestLineBytes:N0}. Send long input in the body.");
        }

        int count = 0;
        long headerBytes = 0;
        foreach (KeyValuePair<string, StringValues> header in request.Headers)
        {
            foreach (string? value in header.Value)
            {
                count++;
                // "Name: value\r\n"
                headerBytes += header.Key.Length + 2 + (value?.Length ?? 0) + 2;
            }
        }
        if (count > limits.MaxRequestHeaderCount)
        {
            return ProblemTypes.HeadersTooLarge.With(
                $"The request has {count:N0} header fields; the limit is {limits.MaxRequestHeaderCount:N0}.");
        }
        if (headerBytes > limits.MaxRequestHeadersBytes)
        {
            return ProblemTypes.HeadersTooLarge.With(
                $"The request headers are {headerBytes:N0} bytes; the limit is {limits.MaxRequestHeadersBytes:N0}.");
        }
        return null;
    }
}
