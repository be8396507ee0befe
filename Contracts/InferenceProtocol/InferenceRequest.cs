using System.Text.Json;

namespace Contracts.InferenceProtocol;

/// <summary>An inference request (<c>$inference_request</c>).</summary>
/// <param name="Inputs">The input tensors.</param>
/// <param name="Id">An identifier the response echoes; optional.</param>
/// <param name="Parameters">Request parameters; none are defined.</param>
/// <param name="Outputs">The outputs wanted; all of them when absent.</param>
public sealed record InferenceRequest(
    IReadOnlyList<RequestInput>? Inputs,
    string? Id = null,
    IReadOnlyDictionary<string, JsonElement>? Parameters = null,
    IReadOnlyList<RequestOutput>? Outputs = null);
