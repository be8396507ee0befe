namespace Trainer.Study;

/// <summary>The outcome of a paired bootstrap of two activations' seed-mean accuracies on the same test images.</summary>
/// <param name="Difference">A's seed-mean accuracy minus B's, as a fraction.</param>
/// <param name="Low">The 2.5th percentile of the resampled differences.</param>
/// <param name="High">The 97.5th percentile of the resampled differences.</param>
/// <param name="PValue">The two-sided p-value of "no difference", before any correction for the other comparisons.</param>
public sealed record PairedDifference(double Difference, double Low, double High, double PValue);
