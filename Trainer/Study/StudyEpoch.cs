using Contracts;

namespace Trainer.Study;

/// <summary>One epoch of a study run.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainingLoss">Mean cross-entropy over the epoch's training images (with augmentation and dropout).</param>
/// <param name="TrainingAccuracy">Accuracy over the epoch's training images, measured while training.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation images at the epoch's end.</param>
/// <param name="TestAccuracy">Accuracy on the test images at the epoch's end.</param>
/// <param name="Seconds">The epoch's training time.</param>
/// <param name="Units">Dead and dormant units at the epoch's end, on the test images.</param>
public sealed record StudyEpoch(
    int Epoch,
    double TrainingLoss,
    double TrainingAccuracy,
    double ValidationAccuracy,
    double TestAccuracy,
    double Seconds,
    UnitSnapshot Units);
