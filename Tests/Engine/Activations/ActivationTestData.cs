using Engine.Activations;

namespace Tests.Engine.Activations;

/// <summary>Activations, widths, lengths and inputs shared by the activation tests, plus ULP arithmetic.</summary>
internal static class ActivationTestData
{
    public static readonly VectorWidth[] Widths = [VectorWidth.Scalar, VectorWidth.Vector128, VectorWidth.Vector256, VectorWidth.Vector512, VectorWidth.Best];

    /// <summary>Every length up to 300 (so every remainder of every width, several times over) and a few large ones.</summary>
    public static readonly int[] Lengths = [.. Enumerable.Range(0, 301), 1000, 4099, 65_537];

    /// <summary>
    /// How far, in ULP, a kernel may be from the scalar reference. Bit for bit for all but ELU: its vector
    /// kernels use <c>Vector128/256/512.Exp</c> where the scalar reference uses <c>MathF.Exp</c>, and the vector
    /// exponential is up to 2 ULP off MathF.Exp (e.g. 0.7501092 against 0.7501091 at x = −0.2875). For x ≤ −0.25,
    /// eˣ − 1 magnifies that ~4× (eˣ ≈ 0.78 against a result of ≈ −0.22): measured over every float in
    /// [−1, −0.25] and a dense sweep of [−20, 0], forward differs by at most 8 ULP (relative 4.9e−7) and the
    /// derivative by at most 2 ULP (so dy·f'(x) by at most 3).
    /// </summary>
    public static int MaxUlp(ActivationFunction activation, bool backward) =>
        activation.Id != "elu" ? 0 : backward ? 3 : 8;

    public static TheoryData<string> Ids() => [.. ActivationFunctions.Ids];

    public static TheoryData<string, VectorWidth> IdsAndWidths()
    {
        var data = new TheoryData<string, VectorWidth>();
        foreach (string id in ActivationFunctions.Ids)
        {
            foreach (VectorWidth width in Widths)
            {
                data.Add(id, width);
            }
        }
        return data;
    }

    public static TheoryData<VectorWidth> AllWidths() => [.. Widths];

    /// <summary>
    /// Inputs spanning both signs: ±0, moderate values, values around ELU's series limit −0.25, and magnitudes
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
                1 => -0.25f + (float)(random.NextDouble() - 0.5) * 0.01f,
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
}
