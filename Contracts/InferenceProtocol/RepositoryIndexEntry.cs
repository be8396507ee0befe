using System.Text.Json.Serialization;

namespace Contracts.InferenceProtocol;

/// <summary>One model version of the models folder in <c>POST /v2/repository/index</c>.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Version">The version: its folder's number in the <c>NAME/VERSION/</c> layout, <c>1</c> for a card at the top of the folder.</param>
/// <param name="State">
/// <c>READY</c> (it serves), <c>LOADING</c> (found, not loaded yet) or <c>UNAVAILABLE</c> (it failed to load, or an
/// operator unloaded it; <c>reason</c> says which).
/// </param>
/// <param name="Reason">
/// Why it does not serve, or, for a <c>READY</c> version, why a newer copy of its files did not replace it; absent otherwise.
/// </param>
public sealed record RepositoryIndexEntry(
    string Name,
    string Version,
    string State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);
