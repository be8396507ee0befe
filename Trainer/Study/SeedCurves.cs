namespace Trainer.Study;

/// <summary>A per-epoch value over seeds, aligned by epoch (see <see cref="StudyPlots.Aligned"/>).</summary>
/// <param name="Mean">At each epoch every seed reached: the mean over seeds and the 95 % t half-width (NaN for one seed).</param>
/// <param name="Continued">Each seed that went on past the last epoch every seed reached, from that epoch on.</param>
/// <param name="Stopped">The last point of each seed that stopped before its planned epochs.</param>
public sealed record SeedCurves(
    IReadOnlyList<(int Epoch, double Mean, double HalfWidth)> Mean,
    IReadOnlyList<IReadOnlyList<(int Epoch, double Value)>> Continued,
    IReadOnlyList<(int Epoch, double Value)> Stopped);
