using System.Text.Json.Serialization;

namespace Contracts.InferenceProtocol;

/// <summary>The answer to an inference request (<c>$inference_response</c>).</summary>
/// <param name="ModelName">The model that answered.</param>
/// <param name="ModelVersion">Its version.</param>
/// <param name="Outputs">The output tensors, in the order requested.</param>
/// <param name="Id">The request's <c>id</c>; absent when it had none.</param>
public sealed record InferenceResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    IReadOnlyList<ResponseOutput> Outputs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id = null);
