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
        ActivationFunction activation = ActivationFunctions.Get(id);
        int maxUlp = MaxUlp(activation, backward: false);
        foreach (int length in Lengths)
        {
            float[] x = Inputs(length, seed: length);
            float[] expected = x.Select(activation.Invoke).ToArray();

            // A longer destination guarded by a sentinel: the kernel writes x.Length elements and no more.
            float[] y = new float[length + 1];
            y[length] = 12345f;
            activation.Forward(x, y, width);
            AssertMatches(expected, y.AsSpan(0, length), maxUlp, $"{id} {width} out of place, length {length}");
            Assert.Equal(12345f, y[length]);

            float[] inPlace = (float[])x.Clone();
            activation.Forward(inPlace, inPlace, width);
            AssertMatches(expected, inPlace, maxUlp, $"{id} {width} in place, length {length}");
        }
    }

    [Theory]
    [MemberData(nameof(IdsAndWidths), MemberType = typeof(ActivationTestData))]
    public void Backward_MatchesDyTimesScalarDerivative_AtEveryLength(string id, VectorWidth width)
    {
        ActivationFunction activation = ActivationFunctions.Get(id);
        int maxUlp = MaxUlp(activation, backward: true);
        foreach (int length in Lengths)
        {
            float[] x = Inputs(length, seed: length);
            var random = new Random(~length);
            float[] dy = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
            float[] expected = x.Select((v, i) => dy[i] * activation.Derivative(v)).ToArray();

            float[] dx = new float[length];
            activation.Backward(x, dy, dx, width);
            AssertMatches(expected, dx, maxUlp, $"{id} {width} out of place, length {length}");

            float[] overDy = (float[])dy.Clone();
            activation.Backward(x, overDy, overDy, width);
            AssertMatches(expected, overDy, maxUlp, $"{id} {width} dx = dy, length {length}");

            float[] overX = (float[])x.Clone();
            activation.Backward(overX, dy, overX, width);
            AssertMatches(expected, overX, maxUlp, $"{id} {width} dx = x, length {length}");
        }
    }

    [Theory]
    [MemberData(nameof(Ids), MemberType = typeof(ActivationTestData))]
    public void PublicForwardAndBackward_EqualTheBestWidth(string id)
    {
        ActivationFunction activation = ActivationFunctions.Get(id);
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

    [Theory]
    [MemberData(nameof(Ids), MemberType = typeof(ActivationTestData))]
    public void Forward_ShorterDestination_Throws(string id)
    {
        ActivationFunction activation = ActivationFunctions.Get(id);
        var error = Assert.Throws<ArgumentException>(() => activation.Forward(new float[100], new float[99]));
        Assert.Equal("y", error.ParamName);
        foreach (VectorWidth width in Widths)
        {
            Assert.Throws<ArgumentException>(() => activation.Forward(new float[3], new float[2], width));
        }
    }

    [Theory]
    [MemberData(nameof(Ids), MemberType = typeof(ActivationTestData))]
    public void Forward_PartiallyOverlappingSpans_Throw(string id)
    {
        ActivationFunction activation = ActivationFunctions.Get(id);
        float[] buffer = Inputs(101, seed: 1);
        float[] before = (float[])buffer.Clone();

        Assert.Throws<ArgumentException>(() => activation.Forward(buffer.AsSpan(0, 100), buffer.AsSpan(1, 100)));
        Assert.Throws<ArgumentException>(() => activation.Forward(buffer.AsSpan(1, 100), buffer.AsSpan(0, 100)));
        Assert.Throws<ArgumentException>(() => activation.Forward(buffer.AsSpan(0, 50), buffer.AsSpan(49, 52)));
        Assert.Throws<ArgumentException>(() => activation.Forward(buffer.AsSpan(50, 50), buffer.AsSpan(0, 51)));
        Assert.Equal(before, buffer);
    }

    [Theory]
    [MemberData(nameof(Ids), MemberType = typeof(ActivationTestData))]
    public void Forward_ExactlyTheSameSpan_IsAllowed(string id)
    {
        ActivationFunction activation = ActivationFunctions.Get(id);
        float[] buffer = Inputs(100, seed: 2);
        float[] expected = new float[100];
        activation.Forward(buffer, expected);

        activation.Forward(buffer.AsSpan(0, 100), buffer.AsSpan(0, 100));

        Assert.Equal(expected, buffer);
    }

    [Theory]
    [MemberData(nameof(Ids), MemberType = typeof(ActivationTestData))]
    public void Backward_Misuse_Throws(string id)
    {
        ActivationFunction activation = ActivationFunctions.Get(id);
        float[] buffer = new float[202];

        var lengths = Assert.Throws<ArgumentException>(() => activation.Backward(new float[100], new float[99], new float[100]));
        Assert.Equal("dy", lengths.ParamName);
        Assert.Throws<ArgumentException>(() => activation.Backward(new float[100], new float[101], new float[101]));
        Assert.Throws<ArgumentException>(() => activation.Backward(new float[100], new float[100], new float[99]));
        // dx partially over x, then partially over dy.
        Assert.Throws<ArgumentException>(() => activation.Backward(buffer.AsSpan(0, 100), buffer.AsSpan(101, 100), buffer.AsSpan(1, 100)));
        Assert.Throws<ArgumentException>(() => activation.Backward(buffer.AsSpan(0, 100), buffer.AsSpan(101, 100), buffer.AsSpan(100, 100)));
    }

    private static void AssertMatches(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, int maxUlp, string context)
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
