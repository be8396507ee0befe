using Engine.Networks;

namespace Tests.Engine.Networks;

/// <summary>2×2 max pooling, stride 2, against the definition; odd last rows and columns are dropped, as in ONNX.</summary>
public class MaxPoolLayerTests
{
    private const int Count = 3;

    /// <summary>height, width, channels.</summary>
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 2, 2, 1 },
        { 4, 6, 3 },
        { 5, 7, 3 },
        { 3, 3, 2 },
        { 1, 4, 2 },
        { 24, 24, 20 },
        { 14, 14, 32 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_TakeTheWindowMaximum_AndRouteItsGradientToIt(int height, int width, int channels)
    {
        var layer = new MaxPoolLayer("pool", new FeatureShape(height, width, channels));
        Assert.Equal(new FeatureShape(height / 2, width / 2, channels), layer.Output);
        float[] input = LayerHarness.Uniform(Count * layer.Input.Size, seed: 1);
        float[] outputGradient = LayerHarness.Uniform(Count * layer.Output.Size, seed: 2);

        (float[] output, object? scratch) = LayerHarness.Forward(layer, [], input, Count);
        (float[] inputGradient, _) = LayerHarness.Backward(layer, [], input, output, outputGradient, Count, scratch);

        var expectedOutput = new float[output.Length];
        var expectedGradient = new float[input.Length];
        FeatureShape i = layer.Input;
        FeatureShape o = layer.Output;
        for (int n = 0; n < Count; n++)
        {
            for (int y = 0; y < o.Height; y++)
            {
                for (int x = 0; x < o.Width; x++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        int best = -1;
                        for (int dy = 0; dy < 2; dy++)
                        {
                            for (int dx = 0; dx < 2; dx++)
                            {
                                int index = n * i.Size + ((2 * y + dy) * i.Width + 2 * x + dx) * channels + c;
                                if (best < 0 || input[index] > input[best])
                                {
                                    best = index;
                                }
                            }
                        }
                        int pooled = n * o.Size + (y * o.Width + x) * channels + c;
                        expectedOutput[pooled] = input[best];
                        expectedGradient[best] = outputGradient[pooled];
                    }
                }
            }
        }

        Assert.Equal(expectedOutput, output);
        // Every other input, the dropped odd rows and columns among them, gets exactly zero.
        Assert.Equal(expectedGradient, inputGradient);
    }

    [Fact]
    public void Tie_GoesToTheFirstInRowMajorOrder()
    {
        var layer = new MaxPoolLayer("pool", new FeatureShape(2, 2, 1));
        float[] input = [1f, 3f, 3f, 3f];
        (float[] output, object? scratch) = LayerHarness.Forward(layer, [], input, 1);
        (float[] inputGradient, _) = LayerHarness.Backward(layer, [], input, output, [5f], 1, scratch);

        Assert.Equal([3f], output);
        Assert.Equal([0f, 5f, 0f, 0f], inputGradient);
    }
}
