using System.Globalization;
using System.Text;
using Engine.Activations;
using Engine.Networks;
using Engine.Training;

namespace Trainer.Study;

/// <summary>
/// What the activation study runs: every activation × architecture × dataset × seed, plus the high-learning-rate
/// runs that provoke dying units. Epoch counts are cut from the trainer's defaults so the whole study fits in
/// about the time the brief allows on a 2-core machine; <see cref="Describe"/> says what was cut.
/// </summary>
public sealed record StudyPlan(
    IReadOnlyDictionary<(string Dataset, string Architecture), int> Epochs,
    int Seeds,
    float HighLearningRate,
    int HighLearningRateEpochs,
    IReadOnlyList<string> HighLearningRateActivations,
    (string Dataset, string Architecture, int Epochs, IReadOnlyList<string> Activations) Longer,
    int? ImageLimit)
{
    /// <summary>The datasets, in run order.</summary>
    public static IReadOnlyList<string> Datasets { get; } = ["mnist", "fashion"];

    /// <summary>The accuracy whose first epoch is reported, per dataset.</summary>
    public static double TargetAccuracy(string dataset) => dataset == "fashion" ? 0.88 : 0.97;

    /// <summary>The full study as committed.</summary>
    public static StudyPlan Full { get; } = new(
        new Dictionary<(string, string), int>
        {
            [("mnist", "baseline")] = 30,
            [("mnist", "enhanced")] = 20,
            [("fashion", "baseline")] = 8,
            [("fashion", "enhanced")] = 5,
        },
        Seeds: 3,
        HighLearningRate: 0.02f,
        HighLearningRateEpochs: 10,
        HighLearningRateActivations: ["relu", "leaky_relu", "elu", "relu_softsign"],
        Longer: ("fashion", "enhanced", 12, ["leaky_relu", "relu_softsign"]),
        ImageLimit: null);

    /// <summary>The smoke version CI runs so the command cannot rot: one activation, a few hundred images, one epoch.</summary>
    public static StudyPlan Smoke { get; } = new(
        new Dictionary<(string, string), int> { [("mnist", "baseline")] = 1, [("mnist", "enhanced")] = 1 },
        Seeds: 1,
        HighLearningRate: 0.02f,
        HighLearningRateEpochs: 1,
        HighLearningRateActivations: ["relu_softsign"],
        Longer: ("mnist", "enhanced", 2, ["relu_softsign"]),
        ImageLimit: 300);

    /// <summary>
    /// The cells in run order: seed by seed, so an interrupted study has whole seeds done first, then the longer runs.
    /// </summary>
    public IEnumerable<PlannedCell> Cells(IReadOnlyList<ActivationFunction> activations)
    {
        foreach (PlannedCell cell in StandardAndHighLearningRateCells(activations))
        {
            yield return cell;
        }
        NetworkArchitecture longerArchitecture = NetworkArchitecture.Get(Longer.Architecture);
        for (int seed = 1; seed <= Seeds; seed++)
        {
            foreach (string id in Longer.Activations)
            {
                yield return new PlannedCell("longer", Longer.Dataset, longerArchitecture, ActivationFunctions.Get(id), Options(longerArchitecture, Longer.Epochs, seed));
            }
        }
    }

    private IEnumerable<PlannedCell> StandardAndHighLearningRateCells(IReadOnlyList<ActivationFunction> activations)
    {
        for (int seed = 1; seed <= Seeds; seed++)
        {
            foreach (((string dataset, string architectureName), int epochs) in Epochs)
            {
                NetworkArchitecture architecture = NetworkArchitecture.Get(architectureName);
                foreach (ActivationFunction activation in activations)
                {
                    yield return new PlannedCell("standard", dataset, architecture, activation, Options(architecture, epochs, seed));
                }
            }
            if (seed == 1)
            {
                foreach (string id in HighLearningRateActivations)
                {
                    NetworkArchitecture architecture = NetworkArchitecture.Enhanced;
                    TrainingOptions options = Options(architecture, HighLearningRateEpochs, seed) with { LearningRate = HighLearningRate };
                    yield return new PlannedCell("high_lr", "mnist", architecture, ActivationFunctions.Get(id), options);
                }
            }
        }
    }

    /// <summary>How the study was run and what was cut, in markdown.</summary>
    public string Describe(IReadOnlyList<ActivationFunction> activations)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Activations: {string.Join(", ", activations.Select(a => a.Id))}; seeds 1–{Seeds}.");
        foreach (((string dataset, string architecture), int epochs) in Epochs)
        {
            TrainingOptions defaults = TrainingOptions.For(NetworkArchitecture.Get(architecture));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- {dataset} / {architecture}: {epochs} epochs (the trainer's default is {defaults.Epochs}); {TrainingPipeline.Describe(defaults with { Epochs = epochs })}.");
        }
        text.AppendLine(CultureInfo.InvariantCulture,
            $"- High learning rate: enhanced network on MNIST, learning rate {HighLearningRate} (10× the default), {HighLearningRateEpochs} epochs, seed 1, " +
            $"activations {string.Join(", ", HighLearningRateActivations)}.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"- Longer training: {Longer.Dataset} / {Longer.Architecture}, {Longer.Epochs} epochs, seeds 1–{Seeds}, activations {string.Join(", ", Longer.Activations)}, to show what the cut cost where it cost most.");
        text.AppendLine("- MNIST (`--mnist`, by default `data/mnist`: our 10,000 digits from `scripts/fetch-mnist.sh`): split 7,000 training / 1,000 validation / 2,000 test (stratified, seed 20240601), normalised as the service normalises uploads.");
        text.AppendLine("- Fashion-MNIST (`--fashion`, by default Debian's `dataset-fashion-mnist` in `/usr/share/datasets/fashion-mnist`): the 60,000 training images split 54,000 training / 6,000 validation (stratified), the 10,000 test images kept; pixels scaled to [0, 1] and not re-centred.");
        text.AppendLine("- Accuracy and unit counts per epoch are measured on the test set after each epoch, for the curves only; the kept weights are chosen on the validation set.");
        if (ImageLimit is { } limit)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- Smoke run: only the first {limit} images of each part.");
        }
        return text.ToString();
    }

    private static TrainingOptions Options(NetworkArchitecture architecture, int epochs, int seed) =>
        TrainingOptions.For(architecture) with { Epochs = epochs, Seed = seed };
}
