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
    /// ELU's bounds, in ULP of the exact result, over every float in [−1, −0.25] and a sweep of [−20, 0]
    /// (see <see cref="EluInputs"/>). Measured: 0.872 ULP at every width, the scalar path and 128 / 256 / 512
    /// bits alike (they run the same single-precision eˣ − 1, Engine/Activations/VectorMath.cs). The bound is
    /// the measured figure rounded up to the next 0.5.
    /// </summary>
    private const double EluBound = 1.0;

    [Fact]
    [Trait("Tier", "Slow")]
    public void Elu_Kernels_AtEveryWidth_AreWithinTheirMeasuredUlpOfExactExpm1()
    {
        // One pass over the inputs, the exact value computed once for all five widths.
        float[] x = EluInputs.Value;
        float[][] y = [.. Widths.Select(width =>
        {
            float[] result = new float[x.Length];
            ActivationFunctions.Elu.Forward(x, result, width);
            return result;
        })];
        double[] worst = new double[Widths.Length];
        float[] worstAt = new float[Widths.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double exact = ExactElu(x[i]);
            for (int w = 0; w < Widths.Length; w++)
            {
                double error = FlooredUlpError(y[w][i], exact);
                if (error > worst[w])
                {
                    (worst[w], worstAt[w]) = (error, x[i]);
                }
            }
        }
        for (int w = 0; w < Widths.Length; w++)
        {
            output.WriteLine($"ELU {Widths[w]}: max {worst[w]:F3} ULP at x = {worstAt[w]:R}");
        }
        for (int w = 0; w < Widths.Length; w++)
        {
            Assert.True(worst[w] <= EluBound, $"ELU {Widths[w]} is {worst[w]:F3} ULP off at x = {worstAt[w]:R} (bound {EluBound})");
            Assert.True(worst[w] > EluBound - 0.5, $"ELU {Widths[w]} is at most {worst[w]:F3} ULP off: tighten the bound {EluBound}");
        }
    }

    /// <summary>
    /// GELU (tanh) and SiLU against their formulas in double, with the exact constants √(2/π) and 0.044715. Results
    /// near 0 are measured in ULP of max(|exact|, 2⁻¹²⁶): below the smallest normal float the spacing of the
    /// denormals counts, so a flush or a wrong sign there would show. Inputs: a sweep of [−10, 10] every 2⁻¹²
    /// and of [−1, 1] every 2⁻¹⁸, plus ±2ᵏ for every k from −149 to 7. GELU loses accuracy as x grows negative,
    /// where the result x·σ(2u) is tiny and the error of the float argument 2u (a few ULP of up to ~10²) is
    /// multiplied by |2u| in e^(−2u): so GELU is held to its bound over x ≥ −4 (|result| ≥ 2e−4) and only
    /// reported below. The scalar path and every vector width run the same single-precision exp
    /// (Engine/Activations/VectorMath.cs), so they measure alike. Measured: GELU 19.84 ULP (x ≥ −4, worst at
    /// x = −3.898); SiLU 1.90 ULP (x = −0.0314). Bounds: the measured figures rounded up to the next 0.5.
    /// </summary>
    public static TheoryData<string, VectorWidth, double> SmoothBounds()
    {
        var data = new TheoryData<string, VectorWidth, double>();
        foreach (VectorWidth width in Widths)
        {
            data.Add("gelu_tanh", width, 20.0);
            data.Add("silu", width, 2.0);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SmoothBounds))]
    public void GeluAndSilu_Kernels_AreWithinTheirMeasuredUlpOfTheFormulaInDouble(string id, VectorWidth width, double bound)
    {
        ActivationFunction activation = Kernel(id);
        Func<double, double> exact = id == "silu" ? ExactSilu : ExactGelu;
        float[] all = SmoothInputs.Value;
        float[] held = id == "silu" ? all : [.. all.Where(x => x >= -4f)];
        (double worst, float worstAt) = MaxUlpError(activation, width, held, exact);
        (double worstAll, float worstAllAt) = MaxUlpError(activation, width, all, exact);
        output.WriteLine($"{id} {width}: max {worst:F3} ULP at x = {worstAt:R}; over every input {worstAll:F3} ULP at x = {worstAllAt:R}");
        Assert.True(worst <= bound, $"{id} {width} is {worst:F3} ULP off at x = {worstAt:R} (bound {bound})");
    }

    public static TheoryData<string, double> DerivativeBounds() => new()
    {
        // Measured, in ε: ELU 0.70, softsign and ReLU–Softsign 0.92, GELU 16.53 (x = 4.96), SiLU 8.18 (x = 16.6),
        // SELU 1.19 (x = −0.37: f' = y + λα from y, |f'| ≤ λα ≈ 1.76).
        // GELU's and SiLU's worst are where σ ≈ 1 and 1 − σ keeps only a few bits, multiplied by x·(…) ≈ 35 and 17:
        // a precision limit of the formula s·(1 + x·(1 − s)), not a wrong result (relative 2e−6 of f' ≈ 1).
        { "elu", 1.0 },
        { "softsign", 1.0 },
        { "relu_softsign", 1.0 },
        { "gelu_tanh", 17.0 },
        { "silu", 8.5 },
        { "selu", 1.5 },
    };

    /// <summary>
    /// The public scalar Derivative(x) against f'(x) in double, as an absolute error in units of ε = 2⁻²³ (every
    /// |f'| here is at most 1.76). For ELU, softsign, ReLU–Softsign and SELU f' is computed from y = f(x) (y + 1,
    /// (1 − |y|)², (1 + y)², y + λα), so the rounding of y (half an ULP of |y| ≤ 1, at most ε/4) carries into it: small
    /// absolutely, but not relatively where f' is small (ELU's f' = y + 1 at x = −17 is 0 or 6e−8 for an exact
    /// 3e−8: ~100 % relative; softsign's at x = −15 is ~46 ULP). GELU's and SiLU's f' cross zero, where only an
    /// absolute bound means anything. Inputs: [−20, 20] every 1e−4 and [−1, 1] every 1e−5.
    /// </summary>
    [Theory]
    [MemberData(nameof(DerivativeBounds))]
    public void ScalarDerivative_IsWithinItsMeasuredErrorOfTheExactDerivative(string id, double bound)
    {
        ActivationFunction activation = Kernel(id);
        double worst = 0;
        float worstAt = 0;
        double worstUlp = 0;
        foreach (float x in Sweep(-20f, 20f, 400_001).Concat(Sweep(-1f, 1f, 200_001)))
        {
            double exact = ExactDerivative(id, x);
            double error = Math.Abs(activation.Derivative(x) - exact) / Math.Pow(2, -23);
            worstUlp = Math.Max(worstUlp, FlooredUlpError(activation.Derivative(x), exact));
            if (error > worst)
            {
                (worst, worstAt) = (error, x);
            }
        }
        output.WriteLine($"{id}': max {worst:F3} ε at x = {worstAt:R} (max {worstUlp:F1} ULP of f')");
        Assert.True(worst <= bound, $"{id}'(x) is {worst:F3} ε off at x = {worstAt:R} (bound {bound})");
    }

    // The paper's constants; the kernel holds λ, α and λα rounded to float.
    private const double SeluLambda = 1.0507009873554804934193349852946;
    private const double SeluAlpha = 1.6732632423543772848170429916717;

    /// <summary>
    /// SELU against λx and λα(eˣ − 1) in double with the paper's constants, over [−20, 20] every 1e−4, [−1, 1] every
    /// 1e−5 and every float in [−1, −0.25]. Its error is ELU's eˣ − 1 (0.87 ULP) plus the product with λα (or λ) and
    /// the rounding of that constant to float. Measured: 1.72 ULP at every width (x = −0.833). The bound is that, rounded up to the next 0.5.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllWidths), MemberType = typeof(ActivationTestData))]
    public void Selu_Kernels_AreWithinTheirMeasuredUlpOfTheFormulaInDouble(VectorWidth width)
    {
        float[] x = SeluInputs.Value;
        (double worst, float worstAt) = MaxUlpError(ActivationFunctions.Selu, width, x, v => v >= 0 ? SeluLambda * v : SeluLambda * SeluAlpha * ExactElu(v));
        output.WriteLine($"selu {width}: max {worst:F3} ULP at x = {worstAt:R}");
        Assert.True(worst <= 2.0, $"selu {width} is {worst:F3} ULP off at x = {worstAt:R}");
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

    public static TheoryData<string> Rational() => ["leaky_relu", "softsign", "relu_softsign", "prelu"];

    [Theory]
    [MemberData(nameof(Rational))]
    public void RationalActivations_AreWithinOneAndAHalfUlpOfExact(string id)
    {
        ActivationFunction activation = Kernel(id);
        Func<double, double> exact = id switch
        {
            "leaky_relu" => x => x < 0 ? LeakyAlpha * x : x,
            "softsign" => x => x / (1 + Math.Abs(x)),
            // PReLU's plain kernels apply the initial slope 0.25, a power of two: the product is exact.
            "prelu" => x => x < 0 ? 0.25 * x : x,
            _ => x => x < 0 ? x / (1 - x) : x,
        };
        double worst = 0;
        foreach (float x in Sweep(-1000f, 1000f, 400_001).Concat(Sweep(-1f, 1f, 200_001)))
        {
            worst = Math.Max(worst, UlpError(activation.Invoke(x), exact(x)));
        }
        output.WriteLine($"{id}: max {worst:F2} ULP");
        // Leaky ReLU and PReLU are one correctly rounded product; softsign two roundings (1 + |x|, then the division): measured 1.49 ULP.
        Assert.True(worst <= (id is "leaky_relu" or "prelu" ? 0.5 : 1.5), $"{id} is {worst:F2} ULP off");
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
    [MemberData(nameof(KernelIds), MemberType = typeof(ActivationTestData))]
    public void Derivative_MatchesCentralFiniteDifferencesOfTheReference(string id)
    {
        ActivationFunction activation = Kernel(id);
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
            // Truncation error h²·f'''/6 is below 1e−4 relative, but 1.4e−5 absolute where GELU's f'
            // crosses zero at x ≈ −0.75 (measured 1.4e−3 against the floor 1e−2); rounding f(x ± h) costs 6e−8 / 2h = 3e−6 absolute.
            double error = Math.Abs(analytic - difference) / (Math.Abs(difference) + 1e-2);
            if (error > worst)
            {
                (worst, worstAt) = (error, x);
            }
        }
        output.WriteLine($"{id}: max relative derivative error {worst:E2} at x = {worstAt:R}");
        Assert.True(worst < 2e-3, $"{id}'(x) disagrees with finite differences by {worst:E2} (relative) at x = {worstAt:R}");
    }

    // Every float in [−1, −0.25] (16.8 million: the series, its limit −ln 2 and eˣ − 1 below it) and a sweep of
    // [−20, 0] every 2⁻¹⁴, plus points next to the switches and near 0.
    private static readonly Lazy<float[]> EluInputs = new(() =>
    [
        .. EveryFloat(-1f, -0.25f),
        .. Sweep(-20f, 0f, 20 * 16_384 + 1),
        .. Sweep(-1e-3f, 0f, 20_001),
        -1e-5f, -1e-6f, -1e-10f, -1e-30f, -1e-40f, -0.6931472f, MathF.BitDecrement(-0.6931472f), MathF.BitIncrement(-0.6931472f),
    ]);

    private static readonly Lazy<float[]> SeluInputs = new(() =>
    [
        .. Sweep(-20f, 20f, 400_001),
        .. Sweep(-1f, 1f, 200_001),
        .. EveryFloat(-1f, -0.25f).Where((_, i) => i % 16 == 0),
    ]);

    private static readonly Lazy<float[]> SmoothInputs = new(() =>
    [
        .. Sweep(-10f, 10f, 20 * 4096 + 1),
        .. Sweep(-1f, 1f, 2 * 262_144 + 1),
        .. Enumerable.Range(-149, 157).SelectMany(k => new[] { MathF.ScaleB(1f, k), -MathF.ScaleB(1f, k) }),
    ]);

    private static (double Worst, float At) MaxUlpError(ActivationFunction activation, VectorWidth width, float[] x, Func<double, double> exact)
    {
        float[] y = new float[x.Length];
        activation.Forward(x, y, width);
        double worst = 0;
        float worstAt = float.NaN;
        for (int i = 0; i < x.Length; i++)
        {
            double error = FlooredUlpError(y[i], exact(x[i]));
            if (error > worst)
            {
                (worst, worstAt) = (error, x[i]);
            }
        }
        return (worst, worstAt);
    }

    // |actual − exact| in ULP of max(|exact|, 2⁻¹²⁶): the float spacing at the exact value, or the denormals' 2⁻¹⁴⁹ below 2⁻¹²⁶.
    private static double FlooredUlpError(float actual, double exact)
    {
        double magnitude = Math.Abs(exact);
        // The spacing of the floats in [2ᵏ, 2ᵏ⁺¹) is 2ᵏ⁻²³ (exact's own binade, not that of its rounding to float:
        // within half an ULP of a power of two the two differ by a factor 2, which changes no bound here).
        double ulp = magnitude < SmallestNormal ? DenormalSpacing : Math.ScaleB(1.0, Math.ILogB(magnitude) - 23);
        return Math.Abs(actual - exact) / ulp;
    }

    private const double SmallestNormal = 1.1754943508222875e-38; // 2⁻¹²⁶
    private const double DenormalSpacing = 1.401298464324817e-45; // 2⁻¹⁴⁹

    // ELU in double: eˣ − 1 loses only ~1e−11 relative to cancellation for |x| ≥ 1e−5; below, the series.
    private static double ExactElu(double x)
    {
        if (x >= 0)
        {
            return x;
        }
        return x > -1e-5 ? x * (1 + x / 2 * (1 + x / 3 * (1 + x / 4))) : Math.Exp(x) - 1;
    }

    private static readonly double GeluScale = Math.Sqrt(2 / Math.PI);

    // ½x(1 + tanh(u)) = x·σ(2u): the same function, without the cancellation of 1 + tanh(u) for u ≪ 0.
    private static double ExactGelu(double x) => x / (1 + Math.Exp(-2 * GeluScale * (x + 0.044715 * x * x * x)));

    private static double ExactSilu(double x) => x / (1 + Math.Exp(-x));

    private static double ExactDerivative(string id, double x)
    {
        switch (id)
        {
            case "elu":
                return x > 0 ? 1 : Math.Exp(x);
            case "softsign":
                return 1 / ((1 + Math.Abs(x)) * (1 + Math.Abs(x)));
            case "relu_softsign":
                return x >= 0 ? 1 : 1 / ((1 - x) * (1 - x));
            case "silu":
                double s = 1 / (1 + Math.Exp(-x));
                return s * (1 + x * (1 - s));
            case "selu":
                return x > 0 ? SeluLambda : SeluLambda * SeluAlpha * Math.Exp(x);
            default:
                double sigma = 1 / (1 + Math.Exp(-2 * GeluScale * (x + 0.044715 * x * x * x)));
                return sigma + 2 * x * sigma * (1 - sigma) * GeluScale * (1 + 3 * 0.044715 * x * x);
        }
    }
}
