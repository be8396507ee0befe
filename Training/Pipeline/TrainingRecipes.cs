using System.Security.Cryptography;
using System.Text.Json;
using Contracts;
using Engine.Activations;
using Engine.Networks;
using Training.Data;

namespace Training.Pipeline;

/// <summary>
/// Turns a training run's inputs into the <see cref="TrainingRecipe"/> its model card records, back into
/// <see cref="TrainingOptions"/>, and into the recipe's hash.
/// </summary>
public static class TrainingRecipes
{
    // Compact, camelCase, declaration order, floats in their shortest round-trip form: one text per recipe.
    private static readonly JsonSerializerOptions CanonicalJson = new(JsonSerializerDefaults.Web);

    /// <summary>The recipe of training <paramref name="architecture"/> with <paramref name="activation"/> on <paramref name="data"/>.</summary>
    public static TrainingRecipe Create(NetworkArchitecture architecture, ActivationFunction activation, TrainingOptions options, DigitSplits data) =>
        new(architecture.Name, activation.Id, options.ToSettings(), data.Files, data.Split);

    /// <summary>The options as a model card records them.</summary>
    public static TrainingSettings ToSettings(this TrainingOptions options) => new(
        options.Epochs, options.BatchSize, options.LearningRate, options.WeightDecay, options.MaxShift,
        options.MaxRotationDegrees, options.MaxScale, options.Patience, options.Seed);

    /// <summary>The options a model card records, to train with again.</summary>
    public static TrainingOptions ToOptions(this TrainingSettings settings) => new()
    {
        Epochs = settings.Epochs,
        BatchSize = settings.BatchSize,
        LearningRate = settings.LearningRate,
        WeightDecay = settings.WeightDecay,
        MaxShift = settings.MaxShift,
        MaxRotationDegrees = settings.MaxRotationDegrees,
        MaxScale = settings.MaxScale,
        Patience = settings.Patience,
        Seed = settings.Seed,
    };

    /// <summary>
    /// Whether <paramref name="card"/>'s accuracy was measured on <paramref name="data"/>'s test digits: by the data
    /// files' checksums and the split where the card records a recipe, by the dataset's name and split otherwise.
    /// </summary>
    public static bool WasTestedOn(this ModelCard card, DigitSplits data) =>
        card.Recipe is { } recipe
            ? recipe.DataFiles.SequenceEqual(data.Files) && recipe.Split == data.Split
            : card.Dataset == data.Name && card.Split == data.Split;

    /// <summary>
    /// The SHA-256 of <paramref name="recipe"/> as canonical JSON (compact, camelCase, fields in declaration
    /// order), lower-case hex. Equal recipes give equal hashes; the data's checksums are part of the recipe, the
    /// code's version and the data's display name are not.
    /// </summary>
    public static string Sha256(this TrainingRecipe recipe) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(recipe, CanonicalJson)));
}
