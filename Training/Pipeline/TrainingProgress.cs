namespace Training.Pipeline;

/// <summary>Where a training run is.</summary>
/// <param name="Epoch">The epoch under way, from 1.</param>
/// <param name="Epochs">The epochs in all.</param>
/// <param name="EpochFraction">How much of this epoch is done, in [0, 1].</param>
/// <param name="Loss">The mean training loss so far this epoch.</param>
/// <param name="Accuracy">The training accuracy so far this epoch.</param>
/// <param name="ValidationAccuracy">The validation accuracy, once the epoch is complete.</param>
/// <param name="Elapsed">Time since training began.</param>
/// <param name="Remaining">The estimated time left.</param>
public sealed record TrainingProgress(
    int Epoch,
    int Epochs,
    double EpochFraction,
    double Loss,
    double Accuracy,
    double? ValidationAccuracy,
    TimeSpan Elapsed,
    TimeSpan Remaining);
