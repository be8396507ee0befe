using Engine.Activations;
using static Tests.Engine.Activations.ActivationTestData;

namespace Tests.Engine.Activations;

/// <summary>
/// The kernels (<see cref="ActivationKernel"/> with each operator) against the scalar reference, at every
/// forced width and every length 0..300 plus a few large ones, out of place and in place.
/// </summary>
public class ActivationKernelTests
{
    [Theory]
    [MemberData(nameof(IdsAndWidths), MemberType = typeof(ActivationTestData))]
    public void Forward_MatchesScalarReference_AtEveryLength(string id, VectorWidth width)
    {
        ActivationFunction activation = Kernel(id);
        int maxUlp = width == VectorWidth.Scalar ? 0 : MaxForwardUlp(activation);
        foreach (int length in Lengths)
        {
            float[] x = Inputs(length, seed: length);
            float[] expected = [.. x.Select(activation.Invoke)];

            // A longer destination guarded by a sentinel: the kernel writes x.Length elements and no more.
            float[] y = new float[length + 1];
            y[length] = 12345f;
            activation.Forward(x, y, width);
            AssertWithinUlp(expected, y.AsSpan(0, length), maxUlp, $"{id} {width} out of place, length {length}");
            Assert.Equal(12345f, y[length]);

            float[] inPlace = (float[])x.Clone();
            activation.Forward(inPlace, inPlace, width);
            AssertWithinUlp(expected, inPlace, maxUlp, $"{id} {width} in place, length {length}");
        }
    }

    [Theory]
    [MemberData(nameof(IdsAndWidths), MemberType = typeof(ActivationTestData))]
    public void Backward_MatchesDyTimesTheDerivativeOfTheForwardValue_AtEveryLength(string id, VectorWidth width)
    {
        ActivationFunction activation = Kernel(id);
        double maxError = width == VectorWidth.Scalar ? 0 : MaxBackwardError(activation);
        foreach (int length in Lengths)
        {
            float[] x = Inputs(length, seed: length);
            float[] forward = ForwardValues(activation, x);
            var random = new Random(~length);
            float[] dy = [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 4 - 2))];
            float[] expected = [.. forward.Select((v, i) => dy[i] * DerivativeFromForwardValue(activation, v))];

            float[] dx = new float[length + 1];
            dx[length] = 12345f;
            activation.Backward(forward, dy, dx.AsSpan(0, length), width);
            AssertBackwardMatches(expected, dx.AsSpan(0, length), dy, maxError, $"{id} {width} out of place, length {length}");
            Assert.Equal(12345f, dx[length]);

            float[] overDy = (float[])dy.Clone();
            activation.Backward(forward, overDy, overDy, width);
            AssertBackwardMatches(expected, overDy, dy, maxError, $"{id} {width} dx = dy, length {length}");

            float[] overForward = (float[])forward.Clone();
            activation.Backward(overForward, dy, overForward, width);
            AssertBackwardMatches(expected, overForward, dy, maxError, $"{id} {width} dx = forward, length {length}");
        }
    }

    [Theory]
    [MemberData(nameof(KernelIds), MemberType = typeof(ActivationTestData))]
    public void Backward_OfTheForwardValue_IsDyTimesThePublicDerivativeOfX(string id)
    {
        // The public Derivative(x) takes the input whatever GradientSource says; Backward must be fed f(x) or
        // x accordingly. Where f' is piecewise constant the two are the same numbers; where it is computed
        // from y, Derivative(x) is defined as that same formula of f(x), so the scalar path agrees bit for bit.
        ActivationFunction activation = Kernel(id);
        float[] x = Inputs(4099, seed: 12);
        float[] dy = Inputs(4099, seed: 13).Select(v => Math.Clamp(v, -3f, 3f)).ToArray();
        float[] dx = new float[x.Length];
        activation.Backward(ForwardValues(activation, x), dy, dx, VectorWidth.Scalar);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(dy[i] * activation.Derivative(x[i])), BitConverter.SingleToInt32Bits(dx[i]));
        }
    }

    public static TheoryData<string, GradientSource> GradientSources() => new()
    {
        { "relu", GradientSource.Output },
        { "leaky_relu", GradientSource.Output },
        { "elu", GradientSource.Output },
        { "noisy_relu", GradientSource.Output },
        { "softsign", GradientSource.Output },
        { "relu_softsign", GradientSource.Output },
        { "gelu_tanh", GradientSource.Input },
        { "silu", GradientSource.Input },
        { "prelu", GradientSource.Input },
        { "selu", GradientSource.Output },
    };

    [Theory]
    [MemberData(nameof(GradientSources))]
    public void GradientSource_IsTheDocumentedOne(string id, GradientSource expected)
    {
        Assert.Equal(expected, Kernel(id).GradientSource);
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("leaky_relu")]
    [InlineData("elu")]
    [InlineData("softsign")]
    [InlineData("relu_softsign")]
    [InlineData("selu")]
    public void Backward_ReadsTheOutput_NotTheInput(string id)
    {
        // Fed the input instead of the output, the output-based kernels give other gradients: so the tests
        // above would catch a kernel that read the wrong one. x = −2: f(x) differs from x for all six.
        ActivationFunction activation = Kernel(id);
        float[] x = [-2f, -0.5f, 3f, -7f];
        float[] fromOutput = new float[x.Length];
        float[] fromInput = new float[x.Length];
        activation.Backward(ForwardValues(activation, x), [1f, 1f, 1f, 1f], fromOutput);
        activation.Backward(x, [1f, 1f, 1f, 1f], fromInput);
        Assert.Equal(x.Select(activation.Derivative), fromOutput);
        if (id is not ("relu" or "leaky_relu"))
        {
            Assert.NotEqual(fromOutput, fromInput);
        }
    }

    [Theory]
    [MemberData(nameof(KernelIds), MemberType = typeof(ActivationTestData))]
    public void PublicForwardAndBackward_EqualTheBestWidth(string id)
    {
        ActivationFunction activation = Kernel(id);
        float[] x = Inputs(1003, seed: 5);
        float[] dy = Inputs(1003, seed: 6);
        float[] viaPublic = new float[x.Length];
        float[] viaBest = new float[x.Length];

        activation.Forward(x, viaPublic);
        activation.Forward(x, viaBest, VectorWidth.Best);
        Assert.Equal(viaBest, viaPublic);

        activation.Backward(x, dy, viaPublic);
        activation.Backward(x, dy, viaBest, VectorWidth.Best);
        Assert.Equal(viaBest, viaPublic);
    }
}
