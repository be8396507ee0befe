using Engine.Networks;

namespace Tests.Engine.Networks;

/// <summary>
/// LRN against ONNX's definition, written from the operator's specification in double precision:
/// square_sum[c] = Σ x[i]² for i from max(0, c − ⌊(size − 1)/2⌋) to min(C − 1, c + ⌈(size − 1)/2⌉),
/// y[c] = x[c] / (bias + alpha / size · square_sum[c])^beta; and its backward pass against the Jacobian of that.
/// </summary>
public class LocalResponseNormalizationLayerTests
{
    private const int Count = 3;

    /// <summary>height, width, channels, size, alpha, beta, bias.</summary>
    public static TheoryData<int, int, int, int, float, float, float> Cases => new()
    {
        // The networks' own: ONNX's defaults but for the window, over 16 and 32 channels.
        { 4, 4, 16, 5, 1e-4f, 0.75f, 1f },
        { 2, 3, 32, 5, 1e-4f, 0.75f, 1f },
        // Strong normalisation, far from the identity: the windows' edges and the sum of squares really matter.
        { 3, 3, 7, 5, 2f, 0.75f, 1f },
        { 3, 2, 4, 3, 2f, 0.75f, 1f },
        { 2, 2, 2, 5, 1.5f, 0.75f, 0.5f },
        { 2, 2, 1, 3, 3f, 0.75f, 1f },
        { 3, 3, 5, 1, 2f, 0.75f, 2f },
        // Another exponent takes the general power path.
        { 3, 3, 6, 3, 2f, 0.6f, 1.5f },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_MatchesTheOnnxDefinition(int height, int width, int channels, int size, float alpha, float beta, float bias)
    {
        var layer = new LocalResponseNormalizationLayer("lrn", new FeatureShape(height, width, channels), size, alpha, beta, bias);
        float[] input = LayerHarness.Uniform(Count * layer.Input.Size, seed: 1, -2f, 2f);

        (float[] output, _) = LayerHarness.Forward(layer, [], input, Count);

        double[] expected = new double[input.Length];
        for (int start = 0; start < input.Length; start += channels)
        {
            for (int c = 0; c < channels; c++)
            {
                expected[start + c] = input[start + c] / Math.Pow(Denominator(input, start, c, layer), beta);
            }
        }
        LayerHarness.AssertClose(expected, output, "output", relative: 2e-6);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_MatchesTheJacobianOfTheDefinition(int height, int width, int channels, int size, float alpha, float beta, float bias)
    {
        var layer = new LocalResponseNormalizationLayer("lrn", new FeatureShape(height, width, channels), size, alpha, beta, bias);
        float[] input = LayerHarness.Uniform(Count * layer.Input.Size, seed: 2, -2f, 2f);
        float[] outputGradient = LayerHarness.Uniform(input.Length, seed: 3);

        (float[] output, object? scratch) = LayerHarness.Forward(layer, [], input, Count);
        (float[] inputGradient, _) = LayerHarness.Backward(layer, [], input, output, outputGradient, Count, scratch);

        // dy_j/dx_c = [j = c]·d_j^−β − β·x_j·d_j^(−β−1)·(2α/size)·x_c when c is in j's window.
        var expected = new double[input.Length];
        var magnitude = new double[input.Length];
        for (int start = 0; start < input.Length; start += channels)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int j = 0; j < channels; j++)
                {
                    double d = Denominator(input, start, j, layer);
                    double derivative = (j == c ? Math.Pow(d, -beta) : 0)
                        - (InWindow(c, j, channels, size) ? beta * input[start + j] * Math.Pow(d, -beta - 1) * 2 * alpha / size * input[start + c] : 0);
                    expected[start + c] += outputGradient[start + j] * derivative;
                    magnitude[start + c] += Math.Abs(outputGradient[start + j] * derivative);
                }
            }
        }
        LayerHarness.AssertClose(expected, magnitude, inputGradient, "input gradient", relative: 1e-5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(-1)]
    public void Constructor_RejectsWindowsThatAreNotPositiveAndOdd(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocalResponseNormalizationLayer("lrn", new FeatureShape(2, 2, 4), size));
    }

    [Fact]
    public void Defaults_AreOnnxsButForTheWindow()
    {
        var layer = new LocalResponseNormalizationLayer("lrn", new FeatureShape(2, 2, 4));
        Assert.Equal((5, 1e-4f, 0.75f, 1f), (layer.Size, layer.Alpha, layer.Beta, layer.Bias));
        Assert.Empty(layer.Parameters);
    }

    // bias + alpha/size · Σ x_i² over ONNX's window of channel c.
    private static double Denominator(float[] input, int start, int c, LocalResponseNormalizationLayer layer)
    {
        int channels = layer.Input.Channels;
        double sum = 0;
        for (int i = Math.Max(0, c - (layer.Size - 1) / 2); i <= Math.Min(channels - 1, c + (layer.Size - 1 + 1) / 2); i++)
        {
            sum += (double)input[start + i] * input[start + i];
        }
        return layer.Bias + (double)layer.Alpha / layer.Size * sum;
    }

    // Whether channel c is summed in the denominator of channel j.
    private static bool InWindow(int c, int j, int channels, int size) =>
        c >= Math.Max(0, j - (size - 1) / 2) && c <= Math.Min(channels - 1, j + (size - 1 + 1) / 2);
}
