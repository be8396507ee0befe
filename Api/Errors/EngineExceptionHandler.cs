using Engine.Imaging;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Api.Errors;

/// <summary>
/// Turns the engine's failures (a bad image, no digit, models not loaded) and malformed requests into
/// ProblemDetails responses. Anything else is left to the default handler: a 500 without internals.
/// </summary>
public sealed partial class EngineExceptionHandler(IProblemDetailsService problemDetailsService, ILogger<EngineExceptionHandler> logger)
    : IExceptionHandler
{
    // Loading a handful of small models takes seconds; a client that honours Retry-After need not poll faster.
    private const string RetryAfterSeconds = "5";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            ImageRejectedException rejected => FromRejection(rejected),
            DigitNotFoundException notFound => ProblemTypes.DigitNotFound.With(notFound.Message),
            ModelsUnavailableException { StillLoading: true } loading => ProblemTypes.ModelsLoading.With(loading.Message),
            ModelsUnavailableException failed => ProblemTypes.ModelsUnavailable.With(failed.Message),
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
        if (exception is ModelsUnavailableException { StillLoading: true })
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        }
        return await problemDetailsService.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

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
