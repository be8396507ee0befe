namespace Training.Pipeline;

/// <summary>One epoch's figures.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Loss">The mean training loss.</param>
/// <param name="TrainingAccuracy">The training accuracy, measured during the epoch.</param>
/// <param name="ValidationAccuracy">The validation accuracy at the epoch's end.</param>
/// <param name="Seconds">The epoch's wall-clock time.</param>
public sealed record EpochResult(int Epoch, double Loss, double TrainingAccuracy, double ValidationAccuracy, double Seconds);
