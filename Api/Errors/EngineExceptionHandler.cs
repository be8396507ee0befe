using Engine.Imaging;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Api.Errors;

/// <summary>
/// Turns the engine's failures (a bad image, no digit) and malformed requests into
/// ProblemDetails responses. Anything else is left to the default handler: a 500 without internals.
/// </summary>
public sealed partial class EngineExceptionHandler(IProblemDetailsService problemDetailsService, ILogger<EngineExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = ForImage(exception) ?? exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => ProblemTypes.RequestTooLarge.With(
                "The request body is larger than the server accepts."),
            BadHttpRequestException badRequest => ProblemTypes.BadRequest.With(badRequest.Message),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        LogProblem(logger, problem.Type, problem.Status, exception.GetType().Name);
        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problemDetailsService.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>The problem of an image the engine refused, or null if <paramref name="exception"/> is not about the image.</summary>
    public static ProblemDetails? ForImage(Exception exception) => exception switch
    {
        ImageRejectedException rejected => FromRejection(rejected),
        DigitNotFoundException notFound => ProblemTypes.DigitNotFound.With(notFound.Message),
        _ => null,
    };

    private static ProblemDetails FromRejection(ImageRejectedException rejected) => rejected.Reason switch
    {
        ImageRejectionReason.Empty => ProblemTypes.ImageEmpty.With(rejected.Message),
        ImageRejectionReason.UnsupportedFormat => ProblemTypes.ImageFormatUnsupported.With(rejected.Message),
        ImageRejectionReason.TooManyPixels => ProblemTypes.ImageTooManyPixels.With(rejected.Message),
        ImageRejectionReason.SideTooLong => ProblemTypes.ImageSideTooLong.With(rejected.Message),
        ImageRejectionReason.DecodeTimeout => ProblemTypes.ImageDecodeTimeout.With(rejected.Message),
        _ => ProblemTypes.ImageCorrupt.With(rejected.Message),
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Answered {ProblemType} ({Status}) for a {ExceptionType}")]
    private static partial void LogProblem(ILogger logger, string? problemType, int? status, string exceptionType);
}
