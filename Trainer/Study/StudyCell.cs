using Contracts;

namespace Trainer.Study;

/// <summary>
/// One training run of the activation study: an architecture, a dataset, an activation and a seed. Written
/// to its own JSON file as soon as it finishes, so an interrupted study resumes where it stopped.
/// </summary>
/// <param name="Experiment"><c>standard</c>; <c>high_lr</c> for the dying-ReLU run with a deliberately high learning rate; <c>longer</c> for a run given more epochs than the study could afford for every cell.</param>
/// <param name="Architecture"><c>baseline</c> or <c>enhanced</c>.</param>
/// <param name="Dataset"><c>mnist</c> or <c>fashion</c>.</param>
/// <param name="Activation">The activation id, e.g. <c>relu_softsign</c>.</param>
/// <param name="Seed">The training seed.</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="LearningRate">The initial learning rate.</param>
/// <param name="TrainingImages">Images per epoch.</param>
/// <param name="TestImages">Images of the test set the accuracies and unit counts are measured on.</param>
/// <param name="TestAccuracy">Test accuracy of the kept (best-validation) weights, in [0, 1].</param>
/// <param name="BestEpoch">The epoch whose weights were kept.</param>
/// <param name="TargetAccuracy">The accuracy whose first epoch is reported (0.97 for MNIST, 0.88 for Fashion-MNIST).</param>
/// <param name="EpochsToTarget">The first epoch whose test accuracy reached <paramref name="TargetAccuracy"/>; null if none did.</param>
/// <param name="TrainingSeconds">Wall-clock time of the training, without the per-epoch test-set measurements.</param>
/// <param name="Initial">Dead and dormant units of the freshly initialised network.</param>
/// <param name="History">Every epoch's figures.</param>
/// <param name="Final">Dead and dormant units of the kept weights.</param>
public sealed record StudyCell(
    string Experiment,
    string Architecture,
    string Dataset,
    string Activation,
    int Seed,
    int Epochs,
    double LearningRate,
    int TrainingImages,
    int TestImages,
    double TestAccuracy,
    int BestEpoch,
    double TargetAccuracy,
    int? EpochsToTarget,
    double TrainingSeconds,
    UnitSnapshot Initial,
    IReadOnlyList<StudyEpoch> History,
    UnitSnapshot Final);
