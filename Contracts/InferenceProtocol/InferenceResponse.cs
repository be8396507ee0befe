using System.Text.Json.Serialization;

namespace Contracts.InferenceProtocol;

/// <summary>The answer to an inference request (<c>$inference_response</c>).</summary>
/// <param name="ModelName">The model that answered.</param>
/// <param name="ModelVersion">Its version.</param>
/// <param name="Outputs">The output tensors, in the order requested.</param>
/// <param name="Id">The request's <c>id</c>; absent when it had none.</param>
public sealed record InferenceResponse(
    [property: JsonPropertyName("model_name"), JsonPropertyOrder(-3)] string ModelName,
    [property: JsonPropertyName("model_version"), JsonPropertyOrder(-2)] string ModelVersion,
    IReadOnlyList<ResponseOutput> Outputs,
    // Written before the outputs, as the protocol lists it, so that a reader sees which request this answers first.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonPropertyOrder(-1)] string? Id = null);
