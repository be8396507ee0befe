namespace Contracts.InferenceProtocol;

/// <summary>The Open Inference Protocol's server metadata (<c>$metadata_server_response</c>).</summary>
/// <param name="Name">A descriptive name of the server.</param>
/// <param name="Version">The server's version.</param>
/// <param name="Extensions">The protocol extensions the server supports.</param>
public sealed record ServerMetadataResponse(string Name, string Version, IReadOnlyList<string> Extensions);
