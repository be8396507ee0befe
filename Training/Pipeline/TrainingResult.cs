using Engine.Networks;

namespace Training.Pipeline;

/// <summary>What a training run produced.</summary>
/// <param name="Network">The network with the weights of its best validation epoch.</param>
/// <param name="History">Every epoch's figures.</param>
/// <param name="BestEpoch">The epoch whose weights were kept.</param>
/// <param name="Elapsed">The whole run's wall-clock time, without the checkpoints' time.</param>
public sealed record TrainingResult(Network Network, IReadOnlyList<EpochResult> History, int BestEpoch, TimeSpan Elapsed)
{
    /// <summary>The validation accuracy of the kept weights.</summary>
    public double ValidationAccuracy => History[BestEpoch - 1].ValidationAccuracy;
}
