using Engine.Networks;

namespace Tests.Engine.Networks;

/// <summary>The fully connected layer against y = x·W + b and its gradients, written out in double precision.</summary>
public class DenseLayerTests
{
    /// <summary>input shape (height, width, channels), units, images.</summary>
    public static TheoryData<int, int, int, int, int> Shapes => new()
    {
        { 1, 1, 1, 1, 1 },
        { 1, 1, 12, 6, 3 },
        { 2, 3, 5, 10, 4 },
        // The networks' own: baseline dense1, enhanced dense1 and dense2.
        { 12, 12, 20, 10, 5 },
        { 7, 7, 32, 128, 17 },
        { 1, 1, 128, 10, 33 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchTheMatrixFormulas(int height, int width, int channels, int units, int count)
    {
        var layer = new DenseLayer("dense", new FeatureShape(height, width, channels), units);
        Assert.Equal(FeatureShape.Vector(units), layer.Output);
        int inputs = layer.Input.Size;
        float[] parameters = LayerHarness.Uniform(inputs * units + units, seed: 1);
        float[] input = LayerHarness.Uniform(count * inputs, seed: 2);
        float[] outputGradient = LayerHarness.Uniform(count * units, seed: 3);
        float[] earlier = LayerHarness.Uniform(parameters.Length, seed: 4);

        (float[] output, object? scratch) = LayerHarness.Forward(layer, parameters, input, count);
        (float[] inputGradient, float[] parameterGradient) =
            LayerHarness.Backward(layer, parameters, input, output, outputGradient, count, scratch, earlier);

        var y = new double[count * units];
        var yMagnitude = new double[y.Length];
        var dx = new double[input.Length];
        var dxMagnitude = new double[dx.Length];
        double[] dParameters = earlier.Select(v => (double)v).ToArray();
        double[] dParametersMagnitude = earlier.Select(v => Math.Abs((double)v)).ToArray();
        for (int n = 0; n < count; n++)
        {
            for (int u = 0; u < units; u++)
            {
                double dy = outputGradient[n * units + u];
                y[n * units + u] = parameters[inputs * units + u];
                yMagnitude[n * units + u] = Math.Abs(parameters[inputs * units + u]);
                dParameters[inputs * units + u] += dy;
                dParametersMagnitude[inputs * units + u] += Math.Abs(dy);
                for (int i = 0; i < inputs; i++)
                {
                    double x = input[n * inputs + i];
                    double w = parameters[i * units + u];
                    y[n * units + u] += x * w;
                    yMagnitude[n * units + u] += Math.Abs(x * w);
                    dx[n * inputs + i] += dy * w;
                    dxMagnitude[n * inputs + i] += Math.Abs(dy * w);
                    dParameters[i * units + u] += dy * x;
                    dParametersMagnitude[i * units + u] += Math.Abs(dy * x);
                }
            }
        }

        LayerHarness.AssertClose(y, yMagnitude, output, "output");
        LayerHarness.AssertClose(dx, dxMagnitude, inputGradient, "input gradient");
        LayerHarness.AssertClose(dParameters, dParametersMagnitude, parameterGradient, "parameter gradient");
    }

    [Fact]
    public void Parameters_AreTheWeightMatrixThenTheBias_WithTheInputsAsFanIn()
    {
        var layer = new DenseLayer("dense3", new FeatureShape(2, 2, 3), units: 5);
        Assert.Equal(7 + 60 + 5, layer.AssignParameters(7));
        Assert.Equal(
            [new ParameterTensor("dense3.weight", 7, 60, 12, true), new ParameterTensor("dense3.bias", 67, 5, 12, false)],
            layer.Parameters);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DenseLayer("d", new FeatureShape(1, 1, 3), 0));
    }
}
