using System.Text.Json;

namespace Contracts.InferenceProtocol;

/// <summary>An output an inference request asks for (<c>$request_output</c>).</summary>
/// <param name="Name">The output's name, as the model's metadata lists it.</param>
/// <param name="Parameters">Output parameters; none are defined.</param>
public sealed record RequestOutput(string? Name, IReadOnlyDictionary<string, JsonElement>? Parameters = null);
