using Engine.Networks;

namespace Tests.Engine.Networks;

/// <summary>
/// Runs one layer on its own, as the network would (its own scratch, a batch in one block), and compares its
/// results with double-precision references.
/// </summary>
internal static class LayerHarness
{
    /// <summary>Seeded values uniform in [low, high).</summary>
    public static float[] Uniform(int length, int seed, float low = -1f, float high = 1f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => low + (high - low) * random.NextSingle()).ToArray();
    }

    /// <summary>The layer's output for <paramref name="count"/> images, with the scratch the backward pass then needs.</summary>
    public static (float[] Output, object? Scratch) Forward(Layer layer, float[] parameters, float[] input, int count, Random? training = null)
    {
        object? scratch = layer.CreateScratch(count, training: true);
        // NaN in the destination: an element the layer forgot to write cannot go unnoticed.
        float[] output = Enumerable.Repeat(float.NaN, count * layer.Output.Size).ToArray();
        layer.Forward(parameters, input, output, count, scratch, training);
        return (output, scratch);
    }

    /// <summary>
    /// The layer's input gradient (the destination filled with NaN first, since it must be overwritten) and its
    /// parameter gradient (starting from <paramref name="initialParameterGradient"/>, to which it must add).
    /// </summary>
    public static (float[] InputGradient, float[] ParameterGradient) Backward(
        Layer layer, float[] parameters, float[] input, float[] output, float[] outputGradient, int count, object? scratch,
        float[]? initialParameterGradient = null)
    {
        float[] inputGradient = Enumerable.Repeat(float.NaN, count * layer.Input.Size).ToArray();
        float[] parameterGradient = initialParameterGradient is null ? new float[parameters.Length] : (float[])initialParameterGradient.Clone();
        layer.Backward(parameters, input, output, outputGradient, inputGradient, parameterGradient, count, scratch);
        return (inputGradient, parameterGradient);
    }

    /// <summary>
    /// Asserts that each float is within <paramref name="relative"/> of the reference, scaled by the reference's
    /// magnitude (the sum of the absolute values of its terms, where rounding error comes from), plus an
    /// absolute floor.
    /// </summary>
    public static void AssertClose(double[] expected, double[] magnitude, float[] actual, string what, double relative = 1e-5, double absolute = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            Assert.True(
                error <= relative * magnitude[i] + absolute,
                $"{what}[{i}]: expected {expected[i]:G9}, got {actual[i]:G9} (error {error:E2}, magnitude {magnitude[i]:G4})");
        }
    }

    /// <summary>As <see cref="AssertClose(double[], double[], float[], string, double, double)"/> with each value its own magnitude.</summary>
    public static void AssertClose(double[] expected, float[] actual, string what, double relative = 1e-5, double absolute = 1e-6) =>
        AssertClose(expected, expected.Select(Math.Abs).ToArray(), actual, what, relative, absolute);
}
