using Engine.Activations;
using Xunit.Abstractions;
using static Tests.Engine.Activations.ActivationTestData;

namespace Tests.Engine.Activations;

/// <summary>
/// The scalar reference (and the kernels) against formulas evaluated in double in the test, and the
/// derivatives against central finite differences of the reference.
/// </summary>
public class ActivationReferenceTests(ITestOutputHelper output)
{
    /// <summary>
    /// ELU's bounds, in ULP of the exact result. Measured over every float in [−1, −0.25] and a dense sweep of
    /// [−20, 0]: 2.01 ULP for the scalar reference (MathF.Exp), 6.70 ULP for the vector kernels
    /// (Vector128/256/512.Exp), both worst just below x = −0.25, where eˣ − 1 takes over from the series and
    /// an error in eˣ ≈ 0.78 is worth ~4× as many ULP of the result ≈ −0.22.
    /// </summary>
    private const double EluReferenceMaxUlp = 2.5;
    private const double EluKernelMaxUlp = 7;

    [Fact]
    public void Elu_Reference_IsWithinAFewUlpOfExactExpm1()
    {
        double worst = 0;
        float worstAt = 0;
        foreach (float x in EluSweep())
        {
            double error = UlpError(ActivationFunctions.Elu.Invoke(x), ExactElu(x));
            if (error > worst)
            {
                (worst, worstAt) = (error, x);
            }
        }
        output.WriteLine($"ELU scalar reference: max {worst:F2} ULP at x = {worstAt:R}");
        Assert.True(worst <= EluReferenceMaxUlp, $"ELU reference is {worst:F2} ULP off at x = {worstAt:R}");
    }

    [Theory]
    [MemberData(nameof(AllWidths), MemberType = typeof(ActivationTestData))]
    public void Elu_Kernel_IsWithinAFewUlpOfExactExpm1(VectorWidth width)
    {
        float[] x = EluSweep().ToArray();
        float[] y = new float[x.Length];
        ActivationFunctions.Elu.Forward(x, y, width);
        double worst = 0;
        float worstAt = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double error = UlpError(y[i], ExactElu(x[i]));
            if (error > worst)
            {
                (worst, worstAt) = (error, x[i]);
            }
        }
        output.WriteLine($"ELU kernel {width}: max {worst:F2} ULP at x = {worstAt:R}");
        Assert.True(worst <= (width == VectorWidth.Scalar ? EluReferenceMaxUlp : EluKernelMaxUlp), $"ELU {width} is {worst:F2} ULP off at x = {worstAt:R}");
    }

    [Fact]
    public void Elu_Reference_IsAccurateWhereNaiveExpMinusOneCancels()
    {
        // At x = −1e−4, MathF.Exp(x) − 1 is off by ~0.1 %; the series must not be.
        const float X = -1e-4f;
        double exact = ExactElu(X);
        Assert.True(UlpError(ActivationFunctions.Elu.Invoke(X), exact) <= 1);
        Assert.True(UlpError(MathF.Exp(X) - 1f, exact) > 100, "the premise: the naive formula cancels here");
    }

    // α is the float 0.1f (0.100000001490116…), not the real 0.1: the product is correctly rounded against that.
    private const double LeakyAlpha = 0.1f;

    public static TheoryData<string> Rational() => ["leaky_relu", "softsign", "relu_softsign"];

    [Theory]
    [MemberData(nameof(Rational))]
    public void RationalActivations_AreWithinOneAndAHalfUlpOfExact(string id)
    {
        ActivationFunction activation = ActivationFunctions.Get(id);
        Func<double, double> exact = id switch
        {
            "leaky_relu" => x => x < 0 ? LeakyAlpha * x : x,
            "softsign" => x => x / (1 + Math.Abs(x)),
            _ => x => x < 0 ? x / (1 - x) : x,
        };
        double worst = 0;
        foreach (float x in Sweep(-1000f, 1000f, 400_001).Concat(Sweep(-1f, 1f, 200_001)))
        {
            worst = Math.Max(worst, UlpError(activation.Invoke(x), exact(x)));
        }
        output.WriteLine($"{id}: max {worst:F2} ULP");
        // Leaky ReLU is one correctly rounded product; softsign two roundings (1 + |x|, then the division): measured 1.49 ULP.
        Assert.True(worst <= (id == "leaky_relu" ? 0.5 : 1.5), $"{id} is {worst:F2} ULP off");
    }

    [Fact]
    public void Relu_IsExactlyMaxOfZeroAndX()
    {
        foreach (float x in Sweep(-100f, 100f, 20_001))
        {
            Assert.Equal(x < 0 ? 0f : x, ActivationFunctions.Relu.Invoke(x));
            Assert.Equal(x > 0 ? 1f : 0f, ActivationFunctions.Relu.Derivative(x));
        }
    }

    [Theory]
    [MemberData(nameof(Ids), MemberType = typeof(ActivationTestData))]
    public void Derivative_MatchesCentralFiniteDifferencesOfTheReference(string id)
    {
        ActivationFunction activation = ActivationFunctions.Get(id);
        const float H = 1e-2f;
        double worst = 0;
        float worstAt = 0;
        foreach (float x in Sweep(-8f, 8f, 4001))
        {
            if (Math.Abs(x) < 4 * H)
            {
                continue; // the kinks at 0
            }
            // x ± h rounded to floats, and the difference of those: the step actually taken.
            float plus = x + H;
            float minus = x - H;
            double difference = ((double)activation.Invoke(plus) - activation.Invoke(minus)) / ((double)plus - minus);
            double analytic = activation.Derivative(x);
            // Truncation error h²·f'''/6 is below 1e−4 relative; rounding f(x ± h) costs 6e−8 / 2h = 3e−6 absolute.
            double error = Math.Abs(analytic - difference) / (Math.Abs(difference) + 1e-2);
            if (error > worst)
            {
                (worst, worstAt) = (error, x);
            }
        }
        output.WriteLine($"{id}: max relative derivative error {worst:E2} at x = {worstAt:R}");
        Assert.True(worst < 1e-3, $"{id}'(x) disagrees with finite differences by {worst:E2} (relative) at x = {worstAt:R}");
    }

    // A dense sweep of [−20, 5], every 1/2¹⁶, and of [−1e−3, 0], plus ELU's switch points.
    private static IEnumerable<float> EluSweep() =>
        Sweep(-20f, 5f, 25 * 65_536 + 1)
            .Concat(Sweep(-1e-3f, 0f, 200_001))
            .Concat(Sweep(-0.2501f, -0.2499f, 10_001))
            .Concat([-1e-5f, -1e-6f, -1e-10f, -1e-30f, -1e-40f, -0.25f, MathF.BitDecrement(-0.25f), MathF.BitIncrement(-0.25f)]);

    private static IEnumerable<float> Sweep(float from, float to, int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return (float)(from + (to - (double)from) * i / (count - 1));
        }
    }

    // ELU in double: eˣ − 1 loses only ~1e−11 relative to cancellation for |x| ≥ 1e−5; below, the series.
    private static double ExactElu(float x)
    {
        if (x >= 0)
        {
            return x;
        }
        double d = x;
        return d > -1e-5 ? d * (1 + d / 2 * (1 + d / 3 * (1 + d / 4))) : Math.Exp(d) - 1;
    }
}
