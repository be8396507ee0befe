namespace Contracts.InferenceProtocol;

/// <summary>The answer of <c>GET /v2/health/ready</c>.</summary>
/// <param name="Ready">Whether the server's models are ready for inference.</param>
public sealed record ServerReadyResponse(bool Ready);
