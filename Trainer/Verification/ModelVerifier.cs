using Contracts;
using Engine.Activations;
using Engine.Inference;
using Engine.Networks;
using Engine.Numerics;
using Training.Data;
using Training.Pipeline;

namespace Trainer.Verification;

/// <summary>
/// Trains a model again from the recipe on its card and compares the result with the card. The card must be
/// intact (its recipe still gives its recipe hash) and the data must be the data it records (every IDX file's
/// SHA-256 and the split) before anything is trained; then the new weights' checksum and test accuracy must
/// equal the card's. Bit-for-bit equality is expected on the same kind of CPU (see <see cref="CpuVectorSupport"/>).
/// </summary>
public static class ModelVerifier
{
    /// <summary>Verifies the model <paramref name="name"/> whose card is in <paramref name="modelsDirectory"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such card, or no data in <paramref name="dataDirectory"/>.</exception>
    /// <exception cref="InvalidDataException">The card records no recipe (it was written before cards did).</exception>
    public static ModelVerification Verify(
        string modelsDirectory,
        string name,
        string dataDirectory,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        Verify(ReadCard(modelsDirectory, name), dataDirectory, progress, cancellationToken);

    /// <summary>Reads the card of the model <paramref name="name"/> and checks that it records what verifying needs.</summary>
    /// <exception cref="FileNotFoundException">There is no such card.</exception>
    /// <exception cref="InvalidDataException">The card records no recipe (it was written before cards did).</exception>
    public static ModelCard ReadCard(string modelsDirectory, string name)
    {
        string cardPath = Path.Combine(modelsDirectory, name + ".json");
        if (!File.Exists(cardPath))
        {
            string[] known = Directory.Exists(modelsDirectory)
                ? [.. Directory.EnumerateFiles(modelsDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!]
                : [];
            throw new FileNotFoundException(
                $"No model card '{Path.GetFullPath(cardPath)}'." + (known.Length > 0 ? $" Models there: {string.Join(", ", known)}." : ""), cardPath);
        }
        ModelCard card = ModelCardFile.Read(cardPath);
        if (card.Recipe is null || card.RecipeSha256 is null || card.WeightsSha256 is null)
        {
            throw new InvalidDataException(
                $"The card '{cardPath}' records no recipe, recipe hash or weights checksum: it was written by an older Trainer. Train the model again to make it verifiable.");
        }
        return card;
    }

    /// <summary>Trains the model of <paramref name="card"/> again on the digits in <paramref name="dataDirectory"/> and compares.</summary>
    /// <exception cref="FileNotFoundException">There is no data in <paramref name="dataDirectory"/>.</exception>
    /// <exception cref="InvalidDataException">The card records no recipe.</exception>
    public static ModelVerification Verify(
        ModelCard card,
        string dataDirectory,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        TrainingRecipe recipe = card.Recipe ?? throw new InvalidDataException($"The card of {card.Name} records no recipe.");
        var problems = new List<string>();
        string recipeSha256 = recipe.Sha256();
        if (recipeSha256 != card.RecipeSha256)
        {
            problems.Add($"the card's recipe hashes to {recipeSha256}, not to the recipe hash it records ({card.RecipeSha256}): the card was edited after training");
        }
        DigitSplits data = DigitSplits.Load(dataDirectory, recipe.Split.Seed);
        problems.AddRange(DataDifferences(recipe, data, dataDirectory));
        if (problems.Count > 0)
        {
            return new ModelVerification(card, problems, null, CpuVectorSupport.Describe());
        }

        string output = Directory.CreateTempSubdirectory("verify-" + card.Name + "-").FullName;
        try
        {
            ModelCard retrained = TrainingPipeline.Run(
                NetworkArchitecture.Get(recipe.Architecture), ActivationFunctions.Get(recipe.Activation), data,
                recipe.Options.ToOptions(), output, progress, cancellationToken);
            return new ModelVerification(card, problems, retrained, CpuVectorSupport.Describe());
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    // Every file the recipe names must be there with the same checksum, and nothing else may have been read;
    // the split must come out the same size.
    private static IEnumerable<string> DataDifferences(TrainingRecipe recipe, DigitSplits data, string dataDirectory)
    {
        foreach (DataFileChecksum expected in recipe.DataFiles)
        {
            DataFileChecksum? actual = data.Files.FirstOrDefault(f => f.File == expected.File);
            if (actual is null)
            {
                yield return $"{expected.File} was not read from '{dataDirectory}' (the card's data has it, SHA-256 {expected.Sha256})";
            }
            else if (actual.Sha256 != expected.Sha256)
            {
                yield return $"{expected.File} in '{dataDirectory}' has SHA-256 {actual.Sha256}, the card's data {expected.Sha256}";
            }
        }
        foreach (DataFileChecksum extra in data.Files.Where(f => recipe.DataFiles.All(e => e.File != f.File)))
        {
            yield return $"{extra.File} was read from '{dataDirectory}' but the card's data has no such file";
        }
        if (data.Split != recipe.Split)
        {
            yield return $"the data splits into {Describe(data.Split)}, the card's into {Describe(recipe.Split)}";
        }
    }

    private static string Describe(DatasetSplit split) =>
        $"{split.Training} training, {split.Validation} validation and {split.Test} test images (seed {split.Seed})";
}
