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

    public static ProblemType ModelNotFound { get; } = new("model-not-found", StatusCodes.Status404NotFound, "Model not found");

    public static ProblemType RequestTooLarge { get; } = new("request-too-large", StatusCodes.Status413PayloadTooLarge, "The request body is too large");

    public static ProblemType ImageTooManyPixels { get; } = new("image-too-many-pixels", StatusCodes.Status413PayloadTooLarge, "The image has too many pixels");

    public static ProblemType MediaTypeUnsupported { get; } = new("media-type-unsupported", StatusCodes.Status415UnsupportedMediaType, "Unsupported media type");

    public static ProblemType ImageFormatUnsupported { get; } = new("image-format-unsupported", StatusCodes.Status415UnsupportedMediaType, "Unsupported image format");

    public static ProblemType DigitNotFound { get; } = new("digit-not-found", StatusCodes.Status422UnprocessableEntity, "No digit in the image");

    public static ProblemType ModelsLoading { get; } = new("models-loading", StatusCodes.Status503ServiceUnavailable, "The models are loading");

    public static ProblemType ModelsUnavailable { get; } = new("models-unavailable", StatusCodes.Status503ServiceUnavailable, "The models could not be loaded");

    public static ProblemType ImageSideTooLong { get; } = new("image-side-too-long", StatusCodes.Status413PayloadTooLarge, "An image side is too long");

    public static ProblemType ImageDecodeTimeout { get; } = new("image-decode-timeout", StatusCodes.Status422UnprocessableEntity, "The image took too long to decode");
}
