namespace Contracts.InferenceProtocol;

/// <summary>The empty JSON object <c>{}</c> that a successful load or unload of the model repository answers.</summary>
public sealed record RepositoryActionResponse;
