using Contracts;

namespace Trainer.Study;

/// <summary>The arithmetic behind the study report: seed means, spreads, the noise rule and pooled unit counts.</summary>
internal static class StudyStatistics
{
    public static double Mean(IEnumerable<double> values)
    {
        double sum = 0;
        int count = 0;
        foreach (double value in values)
        {
            sum += value;
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>The sample standard deviation (n − 1 in the denominator); NaN for fewer than two values.</summary>
    public static double SampleStandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
            return double.NaN;
        double mean = Mean(values);
        double squares = 0;
        foreach (double value in values)
            squares += (value - mean) * (value - mean);
        return Math.Sqrt(squares / (values.Count - 1));
    }

    /// <summary>
    /// The largest accuracy difference still called noise: 2·√(s1²/n1 + s2²/n2 + 2·p(1−p)/N). The seed terms cover
    /// run-to-run variation, the binomial term the finite test set, counted once for each of the two means compared.
    /// A single seed has no measurable spread and adds no seed term.
    /// </summary>
    public static double NoiseThreshold(double std1, int n1, double std2, int n2, double bestAccuracy, int testImages)
    {
        double seedVariance = SeedTerm(std1, n1) + SeedTerm(std2, n2);
        double binomialVariance = 2 * bestAccuracy * (1 - bestAccuracy) / testImages;
        return 2 * Math.Sqrt(seedVariance + binomialVariance);
    }

    /// <summary>The standard error of one accuracy measured on <paramref name="testImages"/> images: √(p(1−p)/N).</summary>
    public static double BinomialStandardError(double accuracy, int testImages) => Math.Sqrt(accuracy * (1 - accuracy) / testImages);

    /// <summary>Dead units over all activation layers as a fraction of all their units.</summary>
    public static double PooledDead(UnitSnapshot snapshot) => Pooled(snapshot, layer => layer.Dead);

    /// <summary>Dormant units over all activation layers as a fraction of all their units.</summary>
    public static double PooledDormant(UnitSnapshot snapshot) => Pooled(snapshot, layer => layer.Dormant);

    private static double SeedTerm(double std, int n) => n < 2 || double.IsNaN(std) ? 0 : std * std / n;

    private static double Pooled(UnitSnapshot snapshot, Func<LayerUnits, int> count)
    {
        int units = snapshot.Layers.Sum(layer => layer.Units);
        return units == 0 ? 0 : (double)snapshot.Layers.Sum(count) / units;
    }
}
