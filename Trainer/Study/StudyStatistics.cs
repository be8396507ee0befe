using Contracts;

namespace Trainer.Study;

/// <summary>
/// The arithmetic behind the study report: seed means, Student-t intervals, the paired bootstrap over test images
/// and Holm's correction, and pooled unit counts.
/// </summary>
public static class StudyStatistics
{
    /// <summary>The two-sided level of every interval and test in the report.</summary>
    public const double Confidence = 0.95;

    /// <summary>A paired comparison is beyond noise when its Holm-adjusted p-value is below this.</summary>
    public const double Significance = 1 - Confidence;

    /// <summary>Resamples of the paired bootstrap: p-values resolve down to 1 / 10,001.</summary>
    public const int BootstrapResamples = 10_000;

    /// <summary>The arithmetic mean; NaN for no values.</summary>
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
    /// The half-width of the Student-t confidence interval of the mean, t(1 − α/2, n − 1) · s / √n; NaN for fewer
    /// than two values, where the spread between seeds cannot be measured.
    /// </summary>
    public static double TIntervalHalfWidth(IReadOnlyList<double> values) =>
        values.Count < 2 ? double.NaN : StudentTQuantile(0.5 + Confidence / 2, values.Count - 1) * SampleStandardDeviation(values) / Math.Sqrt(values.Count);

    /// <summary>
    /// The quantile of Student's t distribution with <paramref name="degreesOfFreedom"/> degrees of freedom: the t
    /// whose cumulative probability is <paramref name="probability"/>. Found by bisection on the distribution
    /// function, to about 1e-12.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The probability is not inside (0, 1), or the degrees of freedom are not positive.</exception>
    public static double StudentTQuantile(double probability, double degreesOfFreedom)
    {
        if (!(probability > 0 && probability < 1))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "must lie strictly between 0 and 1");
        if (!(degreesOfFreedom > 0))
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "must be positive");
        if (probability < 0.5)
            return -StudentTQuantile(1 - probability, degreesOfFreedom);

        double low = 0, high = 1;
        while (StudentTDistribution(high, degreesOfFreedom) < probability)
        {
            low = high;
            high *= 2;
        }
        // 200 halvings take any bracket below a double's resolution; the loop ends sooner once the ends meet.
        for (int i = 0; i < 200 && high - low > 1e-13 * Math.Max(1, high); i++)
        {
            double middle = (low + high) / 2;
            if (StudentTDistribution(middle, degreesOfFreedom) < probability)
                low = middle;
            else
                high = middle;
        }
        return (low + high) / 2;
    }

    /// <summary>
    /// The distribution function of Student's t: P(T ≤ t) = 1 − ½ I(ν / (ν + t²); ν/2, ½) for t ≥ 0, with I the
    /// regularised incomplete beta function, and symmetric about 0.
    /// </summary>
    public static double StudentTDistribution(double t, double degreesOfFreedom)
    {
        double tail = 0.5 * RegularizedIncompleteBeta(degreesOfFreedom / (degreesOfFreedom + t * t), degreesOfFreedom / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>
    /// Holm's step-down adjustment of <paramref name="pValues"/> for a family of comparisons: sorted ascending, the
    /// i-th smallest (from 0) is multiplied by m − i, each adjusted value is at least the one before it, and none
    /// exceeds 1. Returned in the input's order. Rejecting where the adjusted value is below α keeps the chance of
    /// any false "beyond noise" in the family at most α.
    /// </summary>
    public static double[] HolmAdjust(IReadOnlyList<double> pValues)
    {
        int m = pValues.Count;
        int[] order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++)
        {
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }

    /// <summary>
    /// The paired bootstrap over test images of the difference in seed-mean accuracy between two activations whose
    /// runs classified the same test images. Per image, d = (share of A's seeds right) − (share of B's seeds right);
    /// the observed difference Δ is the mean of d. Images are resampled with replacement; the p-value of "no
    /// difference" is the share of resampled differences at least |Δ| away from Δ (counting the observed one), and
    /// the interval is the 2.5th and 97.5th percentile of the resampled differences.
    /// </summary>
    /// <param name="first">Activation A: for each seed, whether each test image was classified correctly.</param>
    /// <param name="second">Activation B, on the same images; it may have a different number of seeds.</param>
    /// <param name="resamples">Bootstrap resamples.</param>
    /// <param name="seed">Seeds the resampling, so the report is the same every time it is drawn.</param>
    /// <exception cref="ArgumentException">Either side has no seeds, or the seeds do not all cover the same number of images.</exception>
    public static PairedDifference PairedBootstrap(IReadOnlyList<bool[]> first, IReadOnlyList<bool[]> second, int resamples, ulong seed)
    {
        if (first.Count == 0 || second.Count == 0)
            throw new ArgumentException("both sides need at least one seed");
        int images = first[0].Length;
        if (images == 0 || first.Concat(second).Any(run => run.Length != images))
            throw new ArgumentException("every run must cover the same, non-zero number of test images");

        // d takes the values k / (n1·n2) for integer k, so it is summed exactly as integers.
        int scale = first.Count * second.Count;
        var difference = new int[images];
        for (int i = 0; i < images; i++)
        {
            int right1 = 0, right2 = 0;
            foreach (bool[] run in first)
                right1 += run[i] ? 1 : 0;
            foreach (bool[] run in second)
                right2 += run[i] ? 1 : 0;
            difference[i] = right1 * second.Count - right2 * first.Count;
        }
        long observedSum = difference.Sum(d => (long)d);
        double observed = (double)observedSum / images / scale;

        var random = new SplitMix64(seed);
        var resampled = new long[resamples];
        int extreme = 0;
        long observedMagnitude = Math.Abs(observedSum);
        for (int b = 0; b < resamples; b++)
        {
            long sum = 0;
            for (int i = 0; i < images; i++)
                sum += difference[random.NextIndex(images)];
            resampled[b] = sum;
            if (Math.Abs(sum - observedSum) >= observedMagnitude)
                extreme++;
        }
        Array.Sort(resampled);
        double Percentile(double q) => (double)resampled[(int)Math.Clamp(Math.Floor(q * resamples), 0, resamples - 1)] / images / scale;
        return new PairedDifference(observed, Percentile(Significance / 2), Percentile(1 - Significance / 2), (extreme + 1.0) / (resamples + 1.0));
    }

    /// <summary>A stable 64-bit seed from text (FNV-1a), for seeding the bootstrap of a named comparison.</summary>
    public static ulong StableSeed(string text)
    {
        ulong hash = 14_695_981_039_346_656_037;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 1_099_511_628_211;
        }
        return hash;
    }

    /// <summary>Dead units over all activation layers as a fraction of all their units.</summary>
    public static double PooledDead(UnitSnapshot snapshot) => Pooled(snapshot, layer => layer.Dead);

    /// <summary>Dormant units over all activation layers as a fraction of all their units.</summary>
    public static double PooledDormant(UnitSnapshot snapshot) => Pooled(snapshot, layer => layer.Dormant);

    /// <summary>Collapsed units over all activation layers as a fraction of all their units; null where a layer was not counted for them.</summary>
    public static double? PooledCollapsed(UnitSnapshot snapshot) =>
        snapshot.Layers.Any(layer => layer.Collapsed is null) ? null : Pooled(snapshot, layer => layer.Collapsed!.Value);

    private static double Pooled(UnitSnapshot snapshot, Func<LayerUnits, int> count)
    {
        int units = snapshot.Layers.Sum(layer => layer.Units);
        return units == 0 ? 0 : (double)snapshot.Layers.Sum(count) / units;
    }

    // Numerical Recipes' continued fraction (modified Lentz), with the symmetry I(x; a, b) = 1 − I(1 − x; b, a)
    // where the fraction converges faster.
    private static double RegularizedIncompleteBeta(double x, double a, double b)
    {
        if (x <= 0)
            return 0;
        if (x >= 1)
            return 1;
        double front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(x, a, b) / a
            : 1 - front * BetaContinuedFraction(1 - x, b, a) / b;
    }

    private static double BetaContinuedFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.Abs(d) < tiny ? tiny : d);
        double result = d;
        for (int m = 1; m <= 1000; m++)
        {
            double even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + even * d;
            d = 1 / (Math.Abs(d) < tiny ? tiny : d);
            c = 1 + even / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            result *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 + odd * d;
            d = 1 / (Math.Abs(d) < tiny ? tiny : d);
            c = 1 + odd / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            double step = d * c;
            result *= step;
            if (Math.Abs(step - 1) < 1e-15)
                break;
        }
        return result;
    }

    // Lanczos (g = 7, 9 terms): about 15 significant digits for positive arguments.
    private static double LogGamma(double x)
    {
        ReadOnlySpan<double> coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5)
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        double sum = coefficients[0];
        for (int i = 1; i < coefficients.Length; i++)
            sum += coefficients[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    // SplitMix64 with Lemire's multiply-shift for indices: fast, and the same sequence on every platform and
    // runtime, which System.Random does not promise across versions.
    private struct SplitMix64(ulong state)
    {
        private ulong state = state;

        public int NextIndex(int count)
        {
            state += 0x9E3779B97F4A7C15;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            z ^= z >> 31;
            return (int)(((z >> 32) * (ulong)count) >> 32);
        }
    }
}
