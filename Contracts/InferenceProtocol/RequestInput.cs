using System.Text.Json;

namespace Contracts.InferenceProtocol;

/// <summary>One input tensor of an inference request (<c>$request_input</c>).</summary>
/// <param name="Name">The input's name, as the model's metadata lists it.</param>
/// <param name="Shape">The tensor's shape, the batch dimension first.</param>
/// <param name="Datatype">The element type, e.g. <c>FP32</c> or <c>BYTES</c>.</param>
/// <param name="Data">The elements in row-major order: a flat array, or arrays nested as the shape.</param>
/// <param name="Parameters">Input parameters; none are defined.</param>
public sealed record RequestInput(
    string? Name,
    IReadOnlyList<long>? Shape,
    string? Datatype,
    JsonElement Data,
    IReadOnlyDictionary<string, JsonElement>? Parameters = null);
