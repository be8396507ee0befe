using Engine.Networks;

namespace Tests.Engine.Networks;

/// <summary>
/// The im2col + GEMM convolution against a direct convolution written from the definition, loop by loop, in
/// double precision: forward, and the three gradients of its backward pass.
/// </summary>
public class ConvolutionLayerTests
{
    private const int Count = 2;

    /// <summary>height, width, channels, filters, kernel, padding.</summary>
    public static TheoryData<int, int, int, int, int, int> Shapes => new()
    {
        { 6, 7, 1, 4, 3, 0 },
        { 6, 7, 3, 5, 3, 0 },
        { 6, 7, 1, 4, 3, 2 },
        { 6, 7, 3, 5, 3, 2 },
        { 5, 5, 3, 7, 5, 2 },
        // The kernel is wider than the image: every patch row is cut on both sides.
        { 3, 3, 2, 3, 5, 2 },
        { 4, 4, 1, 1, 1, 0 },
        // The networks' own shapes: baseline conv1, enhanced conv1 and conv2.
        { 28, 28, 1, 20, 5, 0 },
        { 28, 28, 1, 16, 5, 2 },
        { 14, 14, 16, 32, 5, 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_MatchesTheDirectConvolution(int height, int width, int channels, int filters, int kernel, int padding)
    {
        var layer = new ConvolutionLayer("conv", new FeatureShape(height, width, channels), filters, kernel, padding);
        Assert.Equal(new FeatureShape(height + 2 * padding - kernel + 1, width + 2 * padding - kernel + 1, filters), layer.Output);
        float[] parameters = LayerHarness.Uniform(layer.Taps * filters + filters, seed: 1);
        float[] input = LayerHarness.Uniform(Count * layer.Input.Size, seed: 2, 0f, 1f);

        (float[] output, _) = LayerHarness.Forward(layer, parameters, input, Count);

        (double[] expected, double[] magnitude) = DirectForward(layer, parameters, input);
        LayerHarness.AssertClose(expected, magnitude, output, "output");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_MatchesTheDirectGradients_AddingToTheParameterGradient(int height, int width, int channels, int filters, int kernel, int padding)
    {
        var layer = new ConvolutionLayer("conv", new FeatureShape(height, width, channels), filters, kernel, padding);
        float[] parameters = LayerHarness.Uniform(layer.Taps * filters + filters, seed: 3);
        float[] input = LayerHarness.Uniform(Count * layer.Input.Size, seed: 4, 0f, 1f);
        float[] outputGradient = LayerHarness.Uniform(Count * layer.Output.Size, seed: 5);
        float[] earlier = LayerHarness.Uniform(parameters.Length, seed: 6);

        (float[] output, object? scratch) = LayerHarness.Forward(layer, parameters, input, Count);
        (float[] inputGradient, float[] parameterGradient) =
            LayerHarness.Backward(layer, parameters, input, output, outputGradient, Count, scratch, earlier);

        int taps = layer.Taps;
        var expectedInput = new double[input.Length];
        var inputMagnitude = new double[input.Length];
        var expectedParameters = earlier.Select(v => (double)v).ToArray();
        var parameterMagnitude = earlier.Select(v => Math.Abs((double)v)).ToArray();
        ForEachTerm(layer, (image, outputIndex, inputIndex, weightIndex) =>
        {
            double dy = outputGradient[outputIndex];
            expectedInput[inputIndex] += dy * parameters[weightIndex];
            inputMagnitude[inputIndex] += Math.Abs(dy * parameters[weightIndex]);
            expectedParameters[weightIndex] += dy * input[inputIndex];
            parameterMagnitude[weightIndex] += Math.Abs(dy * input[inputIndex]);
        });
        for (int i = 0; i < outputGradient.Length; i++)
        {
            int f = i % filters;
            expectedParameters[taps * filters + f] += outputGradient[i];
            parameterMagnitude[taps * filters + f] += Math.Abs(outputGradient[i]);
        }

        LayerHarness.AssertClose(expectedInput, inputMagnitude, inputGradient, "input gradient");
        LayerHarness.AssertClose(expectedParameters, parameterMagnitude, parameterGradient, "parameter gradient");
    }

    [Fact]
    public void Backward_WithoutAnInputGradient_StillGivesTheParameterGradient()
    {
        var layer = new ConvolutionLayer("conv", new FeatureShape(6, 6, 2), filters: 3, kernel: 3, padding: 1);
        float[] parameters = LayerHarness.Uniform(layer.Taps * 3 + 3, seed: 7);
        float[] input = LayerHarness.Uniform(Count * layer.Input.Size, seed: 8);
        float[] outputGradient = LayerHarness.Uniform(Count * layer.Output.Size, seed: 9);
        (float[] output, object? scratch) = LayerHarness.Forward(layer, parameters, input, Count);
        (_, float[] full) = LayerHarness.Backward(layer, parameters, input, output, outputGradient, Count, scratch);

        var parameterGradient = new float[parameters.Length];
        layer.Backward(parameters, input, output, outputGradient, Span<float>.Empty, parameterGradient, Count, scratch);

        Assert.Equal(full, parameterGradient);
    }

    [Fact]
    public void Parameters_AreTheWeightMatrixThenTheBias_WithTheTapsAsFanIn()
    {
        var layer = new ConvolutionLayer("conv7", new FeatureShape(9, 9, 3), filters: 8, kernel: 5, padding: 2);
        int end = layer.AssignParameters(100);

        Assert.Equal(75, layer.Taps);
        Assert.Equal(
            [new ParameterTensor("conv7.weight", 100, 75 * 8, 75, true), new ParameterTensor("conv7.bias", 100 + 600, 8, 75, false)],
            layer.Parameters);
        Assert.Equal(708, end);
        Assert.Equal(100, layer.ParameterOffset);
        Assert.Equal(608, layer.ParameterCount);
    }

    [Fact]
    public void Constructor_RejectsEmptyFiltersOrKernelsAndNegativePadding()
    {
        var shape = new FeatureShape(5, 5, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvolutionLayer("c", shape, filters: 0, kernel: 3, padding: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvolutionLayer("c", shape, filters: 1, kernel: 0, padding: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvolutionLayer("c", shape, filters: 1, kernel: 3, padding: -1));
    }

    // out[n, y, x, f] = b[f] + Σ_{ky, kx, c} in[n, y + ky − p, x + kx − p, c] · W[(ky, kx, c), f], zero outside the image.
    private static (double[] Output, double[] Magnitude) DirectForward(ConvolutionLayer layer, float[] parameters, float[] input)
    {
        int filters = layer.Filters;
        var output = new double[Count * layer.Output.Size];
        var magnitude = new double[output.Length];
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = parameters[layer.Taps * filters + i % filters];
            magnitude[i] = Math.Abs(output[i]);
        }
        ForEachTerm(layer, (image, outputIndex, inputIndex, weightIndex) =>
        {
            output[outputIndex] += (double)input[inputIndex] * parameters[weightIndex];
            magnitude[outputIndex] += Math.Abs((double)input[inputIndex] * parameters[weightIndex]);
        });
        return (output, magnitude);
    }

    // Calls term(image, output index, input index, weight index) for every product of the convolution, in six plain loops.
    private static void ForEachTerm(ConvolutionLayer layer, Action<int, int, int, int> term)
    {
        FeatureShape input = layer.Input;
        FeatureShape output = layer.Output;
        int k = layer.Kernel;
        int p = layer.Padding;
        for (int n = 0; n < Count; n++)
        {
            for (int y = 0; y < output.Height; y++)
            {
                for (int x = 0; x < output.Width; x++)
                {
                    for (int f = 0; f < layer.Filters; f++)
                    {
                        for (int ky = 0; ky < k; ky++)
                        {
                            for (int kx = 0; kx < k; kx++)
                            {
                                int iy = y + ky - p;
                                int ix = x + kx - p;
                                if (iy < 0 || iy >= input.Height || ix < 0 || ix >= input.Width)
                                {
                                    continue;
                                }
                                for (int c = 0; c < input.Channels; c++)
                                {
                                    term(
                                        n,
                                        n * output.Size + (y * output.Width + x) * layer.Filters + f,
                                        n * input.Size + (iy * input.Width + ix) * input.Channels + c,
                                        ((ky * k + kx) * input.Channels + c) * layer.Filters + f);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
