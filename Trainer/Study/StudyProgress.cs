namespace Trainer.Study;

/// <summary>Where a study run is, reported after every epoch so that a caller can draw a progress bar.</summary>
/// <param name="Cell">The cell under way, from 1, counted over the cells this run trains.</param>
/// <param name="Cells">The cells this run trains (those already finished are not counted).</param>
/// <param name="Name">The cell, e.g. <c>standard mnist enhanced relu seed 2</c>.</param>
/// <param name="Epoch">The epoch just finished.</param>
/// <param name="Epochs">The cell's epochs.</param>
/// <param name="ValidationAccuracy">The epoch's validation accuracy.</param>
/// <param name="Elapsed">Time since this run began.</param>
/// <param name="Remaining">
/// The estimated time left for this run's remaining cells: their estimates scaled by how the cells so far
/// compared with theirs.
/// </param>
public sealed record StudyProgress(int Cell, int Cells, string Name, int Epoch, int Epochs, double ValidationAccuracy, TimeSpan Elapsed, TimeSpan Remaining);
