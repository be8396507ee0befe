namespace Contracts.InferenceProtocol;

/// <summary>A model's metadata (<c>$metadata_model_response</c>).</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Versions">The versions that may be requested explicitly.</param>
/// <param name="Platform">The framework and format of the model, e.g. <c>onnx_onnxv1</c>.</param>
/// <param name="Inputs">The inputs a request may give.</param>
/// <param name="Outputs">The outputs a request may ask for.</param>
/// <param name="Properties">More about the model: its activation, architecture, backend and device.</param>
public sealed record ModelMetadataResponse(
    string Name,
    IReadOnlyList<string> Versions,
    string Platform,
    IReadOnlyList<MetadataTensor> Inputs,
    IReadOnlyList<MetadataTensor> Outputs,
    IReadOnlyDictionary<string, string> Properties);
