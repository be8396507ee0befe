using Contracts;

namespace Trainer.Study;

/// <summary>One epoch of a study run, measured on the validation images (the test images are kept for the final figures).</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainingLoss">Mean cross-entropy over the epoch's training images (with augmentation and dropout).</param>
/// <param name="TrainingAccuracy">Accuracy over the epoch's training images, measured while training.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation images at the epoch's end.</param>
/// <param name="Seconds">The epoch's training time, its validation pass included.</param>
/// <param name="Units">Dead and dormant units at the epoch's end, on the validation images.</param>
public sealed record StudyEpoch(
    int Epoch,
    double TrainingLoss,
    double TrainingAccuracy,
    double ValidationAccuracy,
    double Seconds,
    UnitSnapshot Units);
