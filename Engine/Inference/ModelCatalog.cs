using System.Diagnostics.CodeAnalysis;
using Engine.Activations;

namespace Engine.Inference;

/// <summary>
/// A snapshot of the models folder: every model found, its state and, for those that serve, the model.
/// Immutable; loading publishes a new snapshot rather than changing this one, so a request sees one
/// consistent set of models from start to end.
/// </summary>
/// <remarks>
/// Lookups are by model name, or by activation, where the activation's <see cref="ServedArchitecture"/> model
/// answers. The default model is the serving <see cref="ServedArchitecture"/> model with the best validation
/// accuracy: the test set is kept for reporting and never chooses a model.
/// </remarks>
public sealed class ModelCatalog
{
    /// <summary>The architecture that answers when a request names an activation but no model.</summary>
    public const string ServedArchitecture = "enhanced";

    private readonly Dictionary<string, ModelEntry> byName;
    private readonly Dictionary<(string Name, string Version), ModelEntry> byVersion;
    private readonly Dictionary<string, DigitModel> byActivation;

    /// <summary>A snapshot of <paramref name="entries"/>; <paramref name="folderProblem"/> says why the folder itself could not be read.</summary>
    public ModelCatalog(IEnumerable<ModelEntry> entries, string? folderProblem = null)
    {
        FolderProblem = folderProblem;
        Entries = entries.OrderBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.Version, VersionComparer.Instance).ToArray();
        byVersion = Entries.ToDictionary(e => (e.Name.ToLowerInvariant(), e.Version), e => e);
        // A name answers with its latest serving version, or, when none serves, its latest version for the reason.
        byName = Entries
            .GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(
                g => g.Key,
                g => g.Where(e => e.Model is not null).MaxBy(e => e.Version, VersionComparer.Instance) ?? g.MaxBy(e => e.Version, VersionComparer.Instance)!,
                StringComparer.OrdinalIgnoreCase);
        ServingModels = Entries.Where(e => e.Model is not null).Select(e => e.Model!).ToArray();
        Models = byName.Values.Where(e => e.Model is not null).Select(e => e.Model!).OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
        byActivation = Models
            .GroupBy(m => m.Card.Activation, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, Preferred, StringComparer.OrdinalIgnoreCase);
        Default = Models.Count == 0 ? null : Preferred(Models);
    }

    /// <summary>A catalog with no model.</summary>
    public static ModelCatalog Empty { get; } = new([]);

    /// <summary>Why the models folder could not be read (e.g. it does not exist); null when it could.</summary>
    public string? FolderProblem { get; }

    /// <summary>Every model found, ordered by name, whatever its state.</summary>
    public IReadOnlyList<ModelEntry> Entries { get; }

    /// <summary>The models that serve, ordered by name: the latest serving version of each name.</summary>
    public IReadOnlyList<DigitModel> Models { get; }

    /// <summary>Every serving model, older versions included.</summary>
    public IReadOnlyList<DigitModel> ServingModels { get; }

    /// <summary>The model that answers when no activation or model is asked for; null when none serves.</summary>
    public DigitModel? Default { get; }

    /// <summary>Finds a model entry by name (case-insensitive), whatever its state: its latest serving version, else its latest.</summary>
    public bool TryGetEntry(string name, [NotNullWhen(true)] out ModelEntry? entry) => byName.TryGetValue(name, out entry);

    /// <summary>Finds one version of a model (name case-insensitive), whatever its state.</summary>
    public bool TryGetEntry(string name, string version, [NotNullWhen(true)] out ModelEntry? entry) =>
        byVersion.TryGetValue((name.ToLowerInvariant(), version), out entry);

    /// <summary>Finds the serving model of one name and version.</summary>
    public bool TryGetServing(string name, string version, [NotNullWhen(true)] out DigitModel? model)
    {
        model = byVersion.TryGetValue((name.ToLowerInvariant(), version), out ModelEntry? entry) ? entry.Model : null;
        return model is not null;
    }

    /// <summary>The versions of a model, oldest first.</summary>
    public IReadOnlyList<ModelEntry> VersionsOf(string name) =>
        Entries.Where(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)).ToArray();

    /// <summary>Finds a serving model by name (case-insensitive).</summary>
    public bool TryGetByName(string name, [NotNullWhen(true)] out DigitModel? model)
    {
        model = byName.TryGetValue(name, out ModelEntry? entry) ? entry.Model : null;
        return model is not null;
    }

    /// <summary>Finds the serving model of an activation (case-insensitive id): its best <see cref="ServedArchitecture"/> model.</summary>
    public bool TryGetByActivation(string activation, [NotNullWhen(true)] out DigitModel? model) =>
        byActivation.TryGetValue(activation, out model);

    /// <summary>
    /// The model a request asks for: by <paramref name="model"/> name, else by <paramref name="activation"/>,
    /// else the <see cref="Default"/>; both may be given if they agree.
    /// </summary>
    public ModelSelection Select(string? model, string? activation, string? version = null)
    {
        if (!string.IsNullOrEmpty(model))
        {
            if (!byName.TryGetValue(model, out ModelEntry? entry))
            {
                return ModelSelection.Fail(ModelSelectionError.ModelUnknown,
                    $"There is no model named '{model}'. Models: {string.Join(", ", byName.Keys.Order(StringComparer.Ordinal))}.");
            }
            if (!string.IsNullOrEmpty(version) && !byVersion.TryGetValue((model.ToLowerInvariant(), version), out entry))
            {
                return ModelSelection.Fail(ModelSelectionError.ModelUnknown,
                    $"The model '{model}' has no version '{version}'. Versions: {string.Join(", ", VersionsOf(model).Select(e => e.Version))}.");
            }
            if (entry.Model is null)
            {
                return ModelSelection.Fail(ModelSelectionError.ModelUnavailable, entry.State switch
                {
                    ModelState.Loading => $"The model '{entry.Name}' is still loading; retry in a few seconds.",
                    ModelState.Unloaded => $"The model '{entry.Name}' was unloaded by an operator.",
                    _ => $"The model '{entry.Name}' does not serve: {entry.Reason}",
                });
            }
            if (!string.IsNullOrEmpty(activation) && !string.Equals(activation, entry.Model.Card.Activation, StringComparison.OrdinalIgnoreCase))
            {
                return ModelSelection.Fail(ModelSelectionError.ModelActivationMismatch,
                    $"The model '{entry.Name}' uses the activation '{entry.Model.Card.Activation}', not '{activation}'. Give one of the two, or matching values.");
            }
            return ModelSelection.Of(entry.Model);
        }
        if (!string.IsNullOrEmpty(activation))
        {
            if (!ActivationFunctions.TryGet(activation, out ActivationFunction? function))
            {
                return ModelSelection.Fail(ModelSelectionError.ActivationUnknown,
                    $"There is no activation '{activation}'. Valid ids: {string.Join(", ", ActivationFunctions.Ids)}; {DescribeServed()}.");
            }
            return byActivation.TryGetValue(function.Id, out DigitModel? byActivationModel)
                ? ModelSelection.Of(byActivationModel)
                : ModelSelection.Fail(ModelSelectionError.ActivationWithoutModel, $"No serving model uses the activation '{function.Id}'; {DescribeServed()}.");
        }
        return Default is null
            ? ModelSelection.Fail(ModelSelectionError.NoModel, DescribeNoModel())
            : ModelSelection.Of(Default);
    }

    /// <summary>
    /// The serving models of <paramref name="architecture"/>, one per activation (its best by validation
    /// accuracy), in the order of <see cref="ActivationFunctions.All"/>.
    /// </summary>
    public IReadOnlyList<DigitModel> ByArchitecture(string architecture)
    {
        var chosen = new List<DigitModel>();
        foreach (ActivationFunction function in ActivationFunctions.All)
        {
            DigitModel[] candidates = Models
                .Where(m => string.Equals(m.Card.Architecture, architecture, StringComparison.OrdinalIgnoreCase)
                            && string.Equals(m.Card.Activation, function.Id, StringComparison.OrdinalIgnoreCase))
                .ToArray();
            if (candidates.Length > 0)
            {
                chosen.Add(Preferred(candidates));
            }
        }
        return chosen;
    }

    /// <summary>The architectures of the serving models, ordered by name.</summary>
    public IReadOnlyList<string> Architectures =>
        Models.Select(m => m.Card.Architecture).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray();

    private string DescribeServed()
    {
        string[] served = ActivationFunctions.Ids.Where(byActivation.ContainsKey).ToArray();
        return served.Length == 0 ? "no activation has a serving model" : $"those with a serving model: {string.Join(", ", served)}";
    }

    private string DescribeNoModel() => Entries.Count == 0
        ? $"No model serves: {FolderProblem ?? "the models folder holds no model."}"
        : $"No model serves: {string.Join("; ", Entries.Select(e => $"{e.Name}: {e.Reason ?? e.State.ToString()}"))}";

    // The served architecture first, then the best validation accuracy; ties go to the first by name, so the
    // choice does not depend on file order.
    private static DigitModel Preferred(IEnumerable<DigitModel> models) => models
        .OrderByDescending(m => string.Equals(m.Card.Architecture, ServedArchitecture, StringComparison.Ordinal))
        .ThenByDescending(m => m.Card.ValidationAccuracy)
        .ThenBy(m => m.Name, StringComparer.Ordinal)
        .First();
}
