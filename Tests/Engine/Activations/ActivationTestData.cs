using Engine.Activations;

namespace Tests.Engine.Activations;

/// <summary>Activations, widths, lengths and inputs shared by the activation tests, plus ULP arithmetic.</summary>
internal static class ActivationTestData
{
    public static readonly VectorWidth[] Widths = [VectorWidth.Scalar, VectorWidth.Vector128, VectorWidth.Vector256, VectorWidth.Vector512, VectorWidth.Best];

    /// <summary>Every length up to 300 (so every remainder of every width, several times over) and a few large ones.</summary>
    public static readonly int[] Lengths = [.. Enumerable.Range(0, 301), 1000, 4099, 65_537];

    /// <summary>Every activation of the registry by id: its kernels are those at the initial slope for PReLU.</summary>
    public static ActivationFunction Kernel(string id) => ActivationFunctions.All.Single(k => k.Id == id);

    /// <summary>
    /// How far, in ULP, a kernel's forward pass may be from the scalar reference <see cref="ActivationFunction.Invoke"/>.
    /// Bit for bit for the piecewise-linear and rational activations. Those built on eˣ use
    /// <c>Vector128/256/512.Exp</c> in the kernels where the scalar reference uses <c>MathF.Exp</c>, and the two
    /// exponentials differ by a few ULP. These are bounds the kernel tests' inputs (<see cref="Inputs"/>, the
    /// driver tests' inputs) stay within, not measured maxima: ELU 8 ULP (eˣ − 1 below −ln 2 magnifies an error in
    /// eˣ ≈ ½ about 2×), GELU and SiLU 4 ULP (one exponential, then 1 + e and a division). Each kernel's accuracy
    /// against exact values is measured in <see cref="ActivationReferenceTests"/>.
    /// </summary>
    public static int MaxForwardUlp(ActivationFunction activation) => activation.Id switch
    {
        "elu" => 8,
        "gelu_tanh" or "silu" => 4,
        _ => 0,
    };

    /// <summary>
    /// How far a kernel's backward pass may be from dy times the scalar derivative of the same forward value,
    /// in units of ε·|dy| (ε = 2⁻²³, the float spacing at 1). 0 means bit for bit: so it is where the gradient is
    /// read from the output (ELU's f' = y + 1 needs no exponential). GELU and SiLU read the input and take an
    /// exponential, like the forward pass; their f' crosses zero (SiLU at x ≈ −1.28, GELU at x ≈ −0.75), where
    /// an error of a few ULP in the terms that cancel is many ULP of the small result, so the bound is on the
    /// absolute error, relative to |dy| (|f'| ≤ 1.13), with a floor of one denormal spacing for subnormal products:
    /// measured at most 4.8·ε·|dy| (SiLU near x = 2.4, where f' ≈ 1.1).
    /// </summary>
    public static double MaxBackwardError(ActivationFunction activation) => activation.Id switch
    {
        "gelu_tanh" or "silu" => 6,
        _ => 0,
    };

    /// <summary>dx against the expected dy·f', bit for bit when <paramref name="maxError"/> is 0, else within maxError·ε·|dy| + one denormal spacing.</summary>
    public static void AssertBackwardMatches(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, ReadOnlySpan<float> dy, double maxError, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool matches = maxError == 0
                ? BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i])
                : Math.Abs((double)actual[i] - expected[i]) <= maxError * Math.Pow(2, -23) * Math.Abs(dy[i]) + float.Epsilon;
            if (!matches)
            {
                double error = Math.Abs((double)actual[i] - expected[i]) / (Math.Pow(2, -23) * Math.Abs(dy[i]));
                Assert.Fail($"{context}: element {i} is {actual[i]:R}, expected {expected[i]:R} (dy = {dy[i]:R}: {error:F2}·ε·|dy| apart, at most {maxError} allowed).");
            }
        }
    }

    /// <summary>Every activation's id, in the registry's order.</summary>
    public static TheoryData<string> KernelIds() => [.. ActivationFunctions.All.Select(k => k.Id)];

    public static TheoryData<string, VectorWidth> IdsAndWidths()
    {
        var data = new TheoryData<string, VectorWidth>();
        foreach (ActivationFunction kernel in ActivationFunctions.All)
        {
            foreach (VectorWidth width in Widths)
            {
                data.Add(kernel.Id, width);
            }
        }
        return data;
    }

    public static TheoryData<VectorWidth> AllWidths() => [.. Widths];

    /// <summary>
    /// What the backward pass reads for the input <paramref name="x"/>: x itself or f(x) by the scalar
    /// reference, as <see cref="ActivationFunction.GradientSource"/> says.
    /// </summary>
    public static float ForwardValue(ActivationFunction activation, float x) =>
        activation.GradientSource == GradientSource.Output ? activation.Invoke(x) : x;

    public static float[] ForwardValues(ActivationFunction activation, float[] x) =>
        [.. x.Select(v => ForwardValue(activation, v))];

    /// <summary>
    /// f' written in the test from the value the backward pass reads (y for output-based gradients, x for
    /// input-based ones), in float, the way the kernels' formulas are documented: the scalar path of the same
    /// formula, which every width must match bit for bit where no exponential is involved.
    /// </summary>
    public static float DerivativeFromForwardValue(ActivationFunction activation, float forward) => activation.Id switch
    {
        "relu" or "noisy_relu" => forward > 0f ? 1f : 0f,
        "leaky_relu" => forward > 0f ? 1f : 0.1f,
        "elu" => forward > 0f ? 1f : forward + 1f,
        "softsign" => (1f - Math.Abs(forward)) * (1f - Math.Abs(forward)),
        "relu_softsign" => forward < 0f ? (1f + forward) * (1f + forward) : 1f,
        "selu" => forward > 0f ? 1.05070102f : forward + 1.7580993f,
        // Input-based: the public scalar derivative already takes x.
        _ => activation.Derivative(forward),
    };

    /// <summary>
    /// Inputs spanning both signs: ±0, moderate values, values around ELU's series limit −ln 2, and magnitudes
    /// from denormal (1e−42) to 1e30. All finite: special values have their own tests.
    /// </summary>
    public static float[] Inputs(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (random.Next(8)) switch
            {
                0 => random.Next(2) == 0 ? 0f : -0f,
                1 => -0.6931472f + (float)(random.NextDouble() - 0.5) * 0.01f,
                2 or 3 => (float)(random.NextDouble() * 40 - 30),
                4 or 5 => (float)(random.NextDouble() * 4 - 2),
                _ => (random.Next(2) == 0 ? -1 : 1) * (float)Math.Pow(10, random.NextDouble() * 72 - 42),
            };
        }
        return values;
    }

    /// <summary>The number of representable floats between <paramref name="a"/> and <paramref name="b"/> (0 for equal bits).</summary>
    public static long UlpDistance(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b))
        {
            return float.IsNaN(a) && float.IsNaN(b) ? 0 : long.MaxValue;
        }
        return Math.Abs(Ordered(a) - Ordered(b));

        static long Ordered(float value)
        {
            int bits = BitConverter.SingleToInt32Bits(value);
            return bits < 0 ? int.MinValue - (long)bits : bits;
        }
    }

    /// <summary>|actual − exact| in units of the float spacing at the exact value.</summary>
    public static double UlpError(float actual, double exact)
    {
        float rounded = Math.Abs((float)exact);
        double ulp = MathF.BitIncrement(rounded) - (double)rounded;
        return Math.Abs(actual - exact) / ulp;
    }

    /// <summary>Every float from <paramref name="from"/> to <paramref name="to"/>, both included, in order.</summary>
    public static float[] EveryFloat(float from, float to)
    {
        var values = new List<float>();
        for (float x = from; x <= to; x = MathF.BitIncrement(x))
        {
            values.Add(x);
        }
        return [.. values];
    }

    /// <summary><paramref name="count"/> evenly spaced points from <paramref name="from"/> to <paramref name="to"/>, rounded to float.</summary>
    public static IEnumerable<float> Sweep(float from, float to, int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return (float)(from + (to - (double)from) * i / (count - 1));
        }
    }

    public static void AssertWithinUlp(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, long maxUlp, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            long distance = UlpDistance(expected[i], actual[i]);
            if (distance > maxUlp)
            {
                Assert.Fail($"{context}: element {i} is {actual[i]:R}, expected {expected[i]:R} ({distance} ULP apart, at most {maxUlp} allowed).");
            }
        }
    }
}
