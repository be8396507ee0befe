using Contracts;
using Trainer.Study;

namespace Tests.Trainer;

/// <summary>Study cells made up for tests: a recipe, per-image results and unit counts chosen by the test.</summary>
internal static class StudyCellFactory
{
    public const string Checksum = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static StudyRecipe Recipe(
        string activation = "relu", int seed = 1, string experiment = StudyPlan.StandardExperiment, ExperimentKind kind = ExperimentKind.Standard,
        string dataset = "mnist", string architecture = "baseline", int epochs = 3, float learningRate = 0.005f, string checksum = Checksum) =>
        new(StudyRecipe.CurrentCodeVersion, experiment, kind, dataset, checksum, "digit-normalised", 20_240_601, null, architecture,
            $"the {architecture} network", 0f, activation, seed, epochs, 32, learningRate, 0.05f, 2, 0f, 0f, 0);

    /// <summary>A cell whose test images are right where <paramref name="correct"/> says.</summary>
    /// <param name="recipe">The recipe.</param>
    /// <param name="correct">Per test image, whether it was classified correctly.</param>
    /// <param name="validation">The kept weights' validation accuracy; the last epoch's too.</param>
    /// <param name="epochsRun">Epochs in the history (fewer than the recipe's: stopped early).</param>
    /// <param name="dead">Dead units of conv1 (of 8) and dense1 (of 20) in the kept weights.</param>
    /// <param name="seconds">Seconds per epoch.</param>
    public static StudyCell Cell(StudyRecipe recipe, bool[] correct, double validation = 0.9, int? epochsRun = null, (int Conv, int Dense) dead = default, double seconds = 4)
    {
        int epochs = epochsRun ?? recipe.Epochs;
        var history = Enumerable.Range(1, epochs)
            .Select(epoch => new StudyEpoch(epoch, 1.0 / epoch, validation - 0.01 * (epochs - epoch), validation - 0.01 * (epochs - epoch), seconds,
                Snapshot(epoch, 0, Math.Min(dead.Dense, epoch))))
            .ToList();
        // Image i is predicted as class 1 when right and 2 when wrong: the labels are all 1.
        int[] predictions = correct.Select(right => right ? 1 : 2).ToArray();
        string key = recipe.Key;
        return new StudyCell(key, recipe, "0000000000000000000000000000000000000000", "Test CPU, 2 cores", 54_000, 6_000, correct.Length, epochs, validation,
            (double)correct.Count(right => right) / correct.Length, 1, epochs * seconds, Snapshot(0, 0, 0), history, Snapshot(epochs, dead.Conv, dead.Dense),
            StudyCell.EncodePredictions(predictions), StudyCell.EncodeCorrect(correct));
    }

    /// <summary><paramref name="right"/> of <paramref name="images"/> images right: the first ones after <paramref name="offset"/>, wrapping round.</summary>
    public static bool[] Right(int images, int right, int offset = 0)
    {
        var correct = new bool[images];
        for (int i = 0; i < right; i++)
            correct[(offset + i) % images] = true;
        return correct;
    }

    public static UnitSnapshot Snapshot(int epoch, int convDead, int denseDead) =>
        new(epoch, [new LayerUnits("conv1", 8, convDead, 1), new LayerUnits("dense1", 20, denseDead, 5)]);

    /// <summary>Writes cells as the runner does and returns their paths.</summary>
    public static IReadOnlyList<string> WriteAll(string directory, IEnumerable<StudyCell> cells)
    {
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (StudyCell cell in cells)
        {
            string path = Path.Combine(directory, StudyCellFiles.FileName(cell.Recipe, cell.Key));
            StudyCellFiles.Write(path, cell);
            paths.Add(path);
        }
        return paths;
    }
}
