namespace Contracts.InferenceProtocol;

/// <summary>The answer of <c>GET /v2/health/live</c> (<c>$live_server_response</c>).</summary>
/// <param name="Live">Whether the server can receive and answer requests.</param>
public sealed record ServerLiveResponse(bool Live);
