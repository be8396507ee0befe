using System.Collections;
using System.Text.Json.Serialization;
using Contracts;

namespace Trainer.Study;

/// <summary>
/// One finished training run of the activation study, written to its own JSON file the moment it finishes, so an
/// interrupted study resumes at the next cell.
/// </summary>
/// <param name="Key">The recipe's key (<see cref="StudyRecipe.Key"/>) when the cell was made.</param>
/// <param name="Recipe">Everything that shaped the result.</param>
/// <param name="CodeCommit">The git commit the Trainer was built from; recorded, not keyed.</param>
/// <param name="Machine">The processor and core count the cell ran on: results are bit-reproducible on one kind of CPU.</param>
/// <param name="TrainingImages">Images per epoch.</param>
/// <param name="ValidationImages">Images the epochs were measured and chosen on.</param>
/// <param name="TestImages">Images the kept weights were tested on.</param>
/// <param name="BestEpoch">The epoch whose weights were kept: the best validation accuracy.</param>
/// <param name="ValidationAccuracy">Validation accuracy of the kept weights, in [0, 1].</param>
/// <param name="TestAccuracy">Test accuracy of the kept weights, in [0, 1].</param>
/// <param name="EpochsToTarget">The first epoch whose validation accuracy reached the dataset's target; null if none did.</param>
/// <param name="TrainingSeconds">Wall-clock time of the training, without the study's per-epoch census.</param>
/// <param name="Initial">Dead and dormant units of the freshly initialised network, on the validation images.</param>
/// <param name="History">Every epoch's figures.</param>
/// <param name="Final">Dead and dormant units of the kept weights, on the test images.</param>
/// <param name="TestPredictions">The kept weights' predicted class of each test image, one byte each, in base64.</param>
/// <param name="TestCorrect">Whether each test image was classified correctly, one bit each (image i is bit i % 8 of byte i / 8), in base64.</param>
public sealed record StudyCell(
    string Key,
    StudyRecipe Recipe,
    string CodeCommit,
    string Machine,
    int TrainingImages,
    int ValidationImages,
    int TestImages,
    int BestEpoch,
    double ValidationAccuracy,
    double TestAccuracy,
    int? EpochsToTarget,
    double TrainingSeconds,
    UnitSnapshot Initial,
    IReadOnlyList<StudyEpoch> History,
    UnitSnapshot Final,
    string TestPredictions,
    string TestCorrect)
{
    /// <summary>The recipe's experiment name.</summary>
    [JsonIgnore]
    public string Experiment => Recipe.Experiment;

    /// <summary>The recipe's dataset id.</summary>
    [JsonIgnore]
    public string Dataset => Recipe.Dataset;

    /// <summary>The recipe's architecture name.</summary>
    [JsonIgnore]
    public string Architecture => Recipe.Architecture;

    /// <summary>The recipe's activation id.</summary>
    [JsonIgnore]
    public string Activation => Recipe.Activation;

    /// <summary>The recipe's training seed.</summary>
    [JsonIgnore]
    public int Seed => Recipe.Seed;

    /// <summary>Encodes predictions as <see cref="TestPredictions"/> stores them.</summary>
    public static string EncodePredictions(IReadOnlyList<int> predictions) => Convert.ToBase64String(predictions.Select(p => checked((byte)p)).ToArray());

    /// <summary>Encodes per-image correctness as <see cref="TestCorrect"/> stores it.</summary>
    public static string EncodeCorrect(IReadOnlyList<bool> correct)
    {
        var bits = new BitArray(correct.ToArray());
        var bytes = new byte[(correct.Count + 7) / 8];
        bits.CopyTo(bytes, 0);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>The predicted class of each test image.</summary>
    /// <exception cref="FormatException"><see cref="TestPredictions"/> is not base64.</exception>
    public byte[] Predictions() => Convert.FromBase64String(TestPredictions);

    /// <summary>Whether each of the <see cref="TestImages"/> test images was classified correctly.</summary>
    /// <exception cref="FormatException"><see cref="TestCorrect"/> is not base64.</exception>
    public bool[] Correct()
    {
        var bits = new BitArray(Convert.FromBase64String(TestCorrect));
        var correct = new bool[Math.Min(TestImages, bits.Length)];
        for (int i = 0; i < correct.Length; i++)
            correct[i] = bits[i];
        return correct;
    }
}
