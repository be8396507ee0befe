using Trainer.Study;

namespace Tests.Trainer;

/// <summary>Each statistic of the study report against values published elsewhere (tables, R) or worked by hand.</summary>
public sealed class StudyStatisticsTests
{
    [Theory]
    // Two-sided 95 % critical values from any table of Student's t (R: qt(0.975, df)), to the table's 3 decimals.
    [InlineData(0.975, 1, 12.706)]
    [InlineData(0.975, 2, 4.303)]
    [InlineData(0.975, 3, 3.182)]
    [InlineData(0.975, 4, 2.776)]
    [InlineData(0.975, 10, 2.228)]
    [InlineData(0.975, 30, 2.042)]
    [InlineData(0.995, 4, 4.604)]
    [InlineData(0.95, 2, 2.920)]
    [InlineData(0.975, 1_000_000, 1.960)]
    [InlineData(0.5, 7, 0.000)]
    [InlineData(0.025, 4, -2.776)]
    public void StudentTQuantile_MatchesTheTables(double probability, double degreesOfFreedom, double expected)
    {
        Assert.Equal(expected, StudyStatistics.StudentTQuantile(probability, degreesOfFreedom), 3);
    }

    [Fact]
    public void StudentTQuantile_InvertsTheDistributionFunction()
    {
        // R: qt(0.975, 4) = 2.776445, pt(2.776445, 4) = 0.975; pt(1, 1) = 0.75 (the Cauchy distribution).
        Assert.Equal(2.776445, StudyStatistics.StudentTQuantile(0.975, 4), 6);
        Assert.Equal(0.975, StudyStatistics.StudentTDistribution(2.776445, 4), 6);
        Assert.Equal(0.75, StudyStatistics.StudentTDistribution(1, 1), 12);
        Assert.Equal(0.25, StudyStatistics.StudentTDistribution(-1, 1), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => StudyStatistics.StudentTQuantile(1, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudyStatistics.StudentTQuantile(0.975, 0));
    }

    [Fact]
    public void TInterval_IsRsTTestInterval()
    {
        // R: t.test(1:5)$conf.int = 1.036757 4.963243, so the half-width is 1.963243.
        Assert.Equal(1.963243, StudyStatistics.TIntervalHalfWidth([1, 2, 3, 4, 5]), 6);
        // R: t.test(c(98.0, 98.2, 98.4))$conf.int = 97.70317 98.69683 (t with 2 degrees of freedom: 4.303).
        Assert.Equal(0.49683, StudyStatistics.TIntervalHalfWidth([98.0, 98.2, 98.4]), 5);
        Assert.True(double.IsNaN(StudyStatistics.TIntervalHalfWidth([98.0])));
        Assert.Equal(Math.Sqrt(2.5), StudyStatistics.SampleStandardDeviation([1, 2, 3, 4, 5]), 12);
    }

    [Fact]
    public void HolmAdjust_MatchesRsPAdjust()
    {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
        Assert.Equal([0.03, 0.06, 0.06, 0.02], StudyStatistics.HolmAdjust([0.01, 0.04, 0.03, 0.005]), new Close(1e-12));
        // R: p.adjust(c(0.02, 0.5, 0.01), "holm") = 0.04 0.50 0.03
        Assert.Equal([0.04, 0.5, 0.03], StudyStatistics.HolmAdjust([0.02, 0.5, 0.01]), new Close(1e-12));
        // Capped at 1, and never below an earlier adjusted value.
        Assert.Equal([1.0, 1.0], StudyStatistics.HolmAdjust([0.6, 0.7]), new Close(1e-12));
        Assert.Equal([0.3], StudyStatistics.HolmAdjust([0.3]), new Close(1e-12));
        Assert.Empty(StudyStatistics.HolmAdjust([]));
    }

    [Fact]
    public void PairedBootstrap_OfIdenticalRuns_IsNoDifferenceAtAll()
    {
        bool[] run = Pattern(1000, i => i % 7 != 0);

        PairedDifference result = StudyStatistics.PairedBootstrap([run, run], [run], 2000, seed: 1);

        Assert.Equal(0, result.Difference);
        Assert.Equal((0.0, 0.0), (result.Low, result.High));
        Assert.Equal(1, result.PValue);
    }

    [Fact]
    public void PairedBootstrap_AveragesEachSidesSeedsPerImage()
    {
        // A: seeds right on images {0, 1} and {0, 2} → 50 %; B: one seed right on image {3} → 25 %.
        bool[][] first = [[true, true, false, false], [true, false, true, false]];
        bool[][] second = [[false, false, false, true]];

        PairedDifference result = StudyStatistics.PairedBootstrap(first, second, 500, seed: 3);

        Assert.Equal(0.25, result.Difference, 12);
        Assert.Throws<ArgumentException>(() => StudyStatistics.PairedBootstrap(first, [[true, false]], 10, seed: 1));
        Assert.Throws<ArgumentException>(() => StudyStatistics.PairedBootstrap([], second, 10, seed: 1));
    }

    [Fact]
    public void PairedBootstrap_OfAHugeDifference_HasTheSmallestPossibleP()
    {
        bool[] always = Pattern(1000, _ => true);
        bool[] half = Pattern(1000, i => i % 2 == 0);

        PairedDifference result = StudyStatistics.PairedBootstrap([always], [half], 2000, seed: 5);

        Assert.Equal(0.5, result.Difference, 12);
        Assert.Equal(1.0 / 2001, result.PValue, 12);
        Assert.InRange(result.Low, 0.45, 0.5);
        Assert.InRange(result.High, 0.5, 0.55);
    }

    [Fact]
    public void PairedBootstrap_AgreesWithTheNormalApproximationOnALargeSample()
    {
        // 10,000 images: A alone right on 260, B alone right on 240, both right on the rest. d = ±1 on 500 images,
        // Δ = 20 / 10,000 = 0.002, Var(d) = 0.05 − 0.002² = 0.049996, se = √(Var/n) = 0.0022360, 95 % interval
        // Δ ± 1.96·se = (−0.00238, 0.00638). The resampled sum of d moves in whole steps around 20 with standard
        // deviation 22.36, and the p-value counts the resamples at least 20 away, ties included: with the continuity
        // correction, 2·(1 − Φ(19.5 / 22.36)) = 0.383.
        bool[] first = Pattern(10_000, i => i >= 240 || i >= 500);
        bool[] second = Pattern(10_000, i => i < 240 || i >= 500);

        PairedDifference result = StudyStatistics.PairedBootstrap([first], [second], StudyStatistics.BootstrapResamples, seed: 11);

        Assert.Equal(0.002, result.Difference, 12);
        Assert.InRange(result.PValue, 0.363, 0.403);
        Assert.InRange(result.Low, -0.0027, -0.0021);
        Assert.InRange(result.High, 0.0061, 0.0067);
    }

    [Fact]
    public void PairedBootstrap_IsTheSameForTheSameSeed()
    {
        bool[] first = Pattern(3000, i => i % 11 != 0);
        bool[] second = Pattern(3000, i => i % 13 != 0);

        PairedDifference once = StudyStatistics.PairedBootstrap([first], [second], 1000, seed: 42);
        PairedDifference again = StudyStatistics.PairedBootstrap([first], [second], 1000, seed: 42);

        Assert.Equal(once, again);
    }

    [Fact]
    public void StableSeed_IsFnv1a()
    {
        // The published FNV-1a 64-bit values of "" and "a".
        Assert.Equal(0xcbf29ce484222325UL, StudyStatistics.StableSeed(""));
        Assert.Equal(0xaf63dc4c8601ec8cUL, StudyStatistics.StableSeed("a"));
    }

    private static bool[] Pattern(int images, Func<int, bool> correct) => Enumerable.Range(0, images).Select(correct).ToArray();

    private sealed class Close(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
