namespace Contracts.InferenceProtocol;

/// <summary>The answer of <c>GET /v2/models/{name}/ready</c> (<c>$ready_model_response</c>).</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Ready">Whether the model is ready for inference.</param>
public sealed record ModelReadyResponse(string Name, bool Ready);
