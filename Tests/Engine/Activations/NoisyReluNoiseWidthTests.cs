using Engine.Activations;

namespace Tests.Engine.Activations;

/// <summary>Noisy ReLU's counter-based noise: the same for an element whatever the vector width or span length.</summary>
public sealed class NoisyReluNoiseWidthTests
{
    public static TheoryData<VectorWidth> Widths() => [VectorWidth.Vector128, VectorWidth.Vector256, VectorWidth.Vector512];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_width_draws_the_scalar_paths_noise(VectorWidth width)
    {
        float[] input = Enumerable.Range(0, 1000).Select(i => (i % 37 - 18) / 6f).ToArray();
        float[] scalar = input.ToArray();
        float[] vector = input.ToArray();

        NoisyReluFunction.AddNoise(scalar, seed: 12345, VectorWidth.Scalar);
        NoisyReluFunction.AddNoise(vector, seed: 12345, width);

        // Same uniforms per element; only the vector and MathF transcendental functions differ, by ULPs.
        for (int i = 0; i < input.Length; i++)
        {
            Assert.True(MathF.Abs(scalar[i] - vector[i]) <= 1e-5f * MathF.Max(1f, MathF.Abs(scalar[i])),
                $"element {i}: scalar {scalar[i]}, {width} {vector[i]}");
        }
        Assert.NotEqual(input, vector);
    }

    [Fact]
    public void An_elements_noise_depends_on_its_index_not_on_the_span_length()
    {
        float[] whole = new float[100];
        float[] prefix = new float[37];

        NoisyReluFunction.AddNoise(whole, seed: 7, VectorWidth.Best);
        NoisyReluFunction.AddNoise(prefix, seed: 7, VectorWidth.Best);

        Assert.Equal(whole.AsSpan(0, 37).ToArray(), prefix);
    }

    [Fact]
    public void Noise_at_zero_has_the_variance_of_the_logistic_function_there()
    {
        float[] values = new float[200_000];
        NoisyReluFunction.AddNoise(values, seed: 99, VectorWidth.Best);

        double mean = values.Average(v => (double)v);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / values.Length;
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.5 * 0.98, 0.5 * 1.02);
    }
}
