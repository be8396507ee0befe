namespace Api.Errors;

/// <summary>Every failure the API reports, in one place, so that types, titles and statuses stay stable.</summary>
public static class ProblemTypes
{
    public static ProblemType ImageEmpty { get; } = new("image-empty", StatusCodes.Status400BadRequest, "The image is empty");

    public static ProblemType ImageFieldMissing { get; } = new("image-field-missing", StatusCodes.Status400BadRequest, "The form has no image file");

    public static ProblemType MultipartMalformed { get; } = new("multipart-malformed", StatusCodes.Status400BadRequest, "The multipart body is malformed");

    public static ProblemType ImageCorrupt { get; } = new("image-corrupt", StatusCodes.Status400BadRequest, "The image is corrupt");

    public static ProblemType ActivationUnknown { get; } = new("activation-unknown", StatusCodes.Status400BadRequest, "Unknown activation");

    public static ProblemType ActivationWithoutModel { get; } = new("activation-without-model", StatusCodes.Status400BadRequest, "No model uses this activation");

    public static ProblemType ModelUnknown { get; } = new("model-unknown", StatusCodes.Status400BadRequest, "Unknown model");

    public static ProblemType ModelActivationMismatch { get; } = new("model-activation-mismatch", StatusCodes.Status400BadRequest, "The model does not use this activation");

    public static ProblemType BadRequest { get; } = new("bad-request", StatusCodes.Status400BadRequest, "Bad request");

    public static ProblemType TooManyImages { get; } = new("too-many-images", StatusCodes.Status400BadRequest, "Too many images");

    public static ProblemType ArchitectureUnknown { get; } = new("architecture-unknown", StatusCodes.Status400BadRequest, "Unknown architecture");

    public static ProblemType ModelUnavailable { get; } = new("model-unavailable", StatusCodes.Status503ServiceUnavailable, "The model does not serve");

    public static ProblemType QueueFull { get; } = new("queue-full", StatusCodes.Status503ServiceUnavailable, "The model's queue is full");

    public static ProblemType QueueTimeout { get; } = new("queue-timeout", StatusCodes.Status503ServiceUnavailable, "The request waited too long for the model");

    public static ProblemType RequestCancelled { get; } = new("request-cancelled", 499, "The client closed the request");

    public static ProblemType ModelNotFound { get; } = new("model-not-found", StatusCodes.Status404NotFound, "Model not found");

    public static ProblemType RequestTooLarge { get; } = new("request-too-large", StatusCodes.Status413PayloadTooLarge, "The request body is too large");

    public static ProblemType ImageTooManyPixels { get; } = new("image-too-many-pixels", StatusCodes.Status413PayloadTooLarge, "The image has too many pixels");

    public static ProblemType MediaTypeUnsupported { get; } = new("media-type-unsupported", StatusCodes.Status415UnsupportedMediaType, "Unsupported media type");

    public static ProblemType ImageFormatUnsupported { get; } = new("image-format-unsupported", StatusCodes.Status415UnsupportedMediaType, "Unsupported image format");

    public static ProblemType DigitNotFound { get; } = new("digit-not-found", StatusCodes.Status422UnprocessableEntity, "No digit in the image");

    public static ProblemType ModelsLoading { get; } = new("models-loading", StatusCodes.Status503ServiceUnavailable, "The models are loading");

    public static ProblemType ModelsUnavailable { get; } = new("models-unavailable", StatusCodes.Status503ServiceUnavailable, "No model serves");

    public static ProblemType NotFound { get; } = new("not-found", StatusCodes.Status404NotFound, "Not found");

    public static ProblemType MethodNotAllowed { get; } = new("method-not-allowed", StatusCodes.Status405MethodNotAllowed, "Method not allowed");

    public static ProblemType UriTooLong { get; } = new("uri-too-long", StatusCodes.Status414UriTooLong, "The URI is too long");

    public static ProblemType TooManyRequests { get; } = new("too-many-requests", StatusCodes.Status429TooManyRequests, "Too many requests");

    public static ProblemType HeadersTooLarge { get; } = new("headers-too-large", StatusCodes.Status431RequestHeaderFieldsTooLarge, "The request headers are too large");

    public static ProblemType InternalError { get; } = new("internal-error", StatusCodes.Status500InternalServerError, "Internal server error");
    public static ProblemType ImageSideTooLong { get; } = new("image-side-too-long", StatusCodes.Status413PayloadTooLarge, "An image side is too long");

    public static ProblemType ImageDecodeTimeout { get; } = new("image-decode-timeout", StatusCodes.Status422UnprocessableEntity, "The image took too long to decode");
}
