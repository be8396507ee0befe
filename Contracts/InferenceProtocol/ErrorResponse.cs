namespace Contracts.InferenceProtocol;

/// <summary>The Open Inference Protocol's error body (<c>$inference_error_response</c> and the metadata error responses).</summary>
/// <param name="Error">What went wrong, in words.</param>
public sealed record ErrorResponse(string Error);
