namespace Contracts.InferenceProtocol;

/// <summary>The body of <c>POST /v2/repository/index</c>, as in Triton's model repository extension; optional.</summary>
/// <param name="Ready">True to list only the model versions that serve; absent or false for all of them.</param>
public sealed record RepositoryIndexRequest(bool? Ready);
