using Contracts;

namespace Trainer.Study;

/// <summary>One activation's runs in a <see cref="StudyBlock"/>, and its comparison with the block's reference.</summary>
internal sealed class StudyBlockRow
{
    public StudyBlockRow(string activation, IReadOnlyList<StudyCell> cells)
    {
        Activation = activation;
        Cells = cells;
        Accuracies = cells.Select(cell => cell.TestAccuracy).ToList();
        Mean = StudyStatistics.Mean(Accuracies);
        HalfWidth = StudyStatistics.TIntervalHalfWidth(Accuracies);
        Correct = cells.Select(cell => cell.Correct()).ToList();
    }

    public string Activation { get; }

    /// <summary>The runs, by seed.</summary>
    public IReadOnlyList<StudyCell> Cells { get; }

    public int Count => Cells.Count;

    /// <summary>Each seed's test accuracy.</summary>
    public IReadOnlyList<double> Accuracies { get; }

    /// <summary>The mean test accuracy over seeds.</summary>
    public double Mean { get; }

    /// <summary>The half-width of the 95 % Student-t interval of <see cref="Mean"/>; NaN for one seed.</summary>
    public double HalfWidth { get; }

    /// <summary>Per seed, whether each test image was classified correctly.</summary>
    public IReadOnlyList<bool[]> Correct { get; }

    /// <summary>This row minus the reference, by the paired bootstrap; null for the reference itself.</summary>
    public PairedDifference? Difference { get; private set; }

    /// <summary>The Holm-adjusted p-value of <see cref="Difference"/> within its block.</summary>
    public double? AdjustedP { get; private set; }

    /// <summary>Whether the difference from the reference is beyond noise after Holm's correction.</summary>
    public bool BeyondNoise => AdjustedP < StudyStatistics.Significance;

    public double ValidationMean => StudyStatistics.Mean(Cells.Select(cell => cell.ValidationAccuracy));

    public double BestEpochMean => StudyStatistics.Mean(Cells.Select(cell => (double)cell.BestEpoch));

    /// <summary>Mean seconds per epoch over every epoch of every seed.</summary>
    public double SecondsPerEpoch => StudyStatistics.Mean(Cells.SelectMany(cell => cell.History.Select(epoch => epoch.Seconds)));

    /// <summary>Dead units of the kept weights over all activation layers, mean over seeds.</summary>
    public double Dead => StudyStatistics.Mean(Cells.Select(cell => StudyStatistics.PooledDead(cell.Final)));

    /// <summary>Dormant units of the kept weights over all activation layers, mean over seeds.</summary>
    public double Dormant => StudyStatistics.Mean(Cells.Select(cell => StudyStatistics.PooledDormant(cell.Final)));

    /// <summary>Collapsed units of the kept weights over all activation layers, mean over seeds; null where any seed's census did not count them.</summary>
    public double? Collapsed =>
        Cells.Select(cell => StudyStatistics.PooledCollapsed(cell.Final)).ToList() is var fractions && fractions.All(f => f is not null)
            ? StudyStatistics.Mean(fractions.Select(f => f!.Value))
            : null;

    /// <summary>Each activation layer's mean dead fraction over seeds, of the snapshots <paramref name="select"/> picks.</summary>
    public IReadOnlyList<(string Layer, int Units, double Dead)> DeadByLayer(Func<StudyCell, UnitSnapshot> select) =>
        Cells.SelectMany(cell => select(cell).Layers)
            .GroupBy(layer => layer.Layer)
            .Select(layer => (layer.Key, layer.First().Units, layer.Average(units => units.DeadFraction)))
            .ToList();

    public void SetComparison(PairedDifference difference, double adjustedP)
    {
        Difference = difference;
        AdjustedP = adjustedP;
    }
}
