using Engine.Activations;
using Engine.Networks;

namespace Trainer.Study;

/// <summary>One run the study must make: its recipe, and the objects that train it.</summary>
/// <param name="Recipe">Everything that shapes the result; its key names the cell's file.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="Architecture">The network.</param>
/// <param name="Activation">The activation.</param>
public sealed record PlannedCell(StudyRecipe Recipe, StudyDataset Dataset, NetworkArchitecture Architecture, ActivationFunction Activation)
{
    /// <summary>The recipe's key.</summary>
    public string Key { get; } = Recipe.Key;

    /// <summary>
    /// The cell's file name: readable (experiment, dataset, architecture, activation, seed) and ending in the first
    /// 12 hex digits of its key, e.g. <c>standard-mnist-enhanced-relu-seed1-3fa9c2d81b07.json</c>.
    /// </summary>
    public string FileName => StudyCellFiles.FileName(Recipe, Key);
}
