using Engine.Activations;
using static Tests.Engine.Activations.ActivationTestData;

namespace Tests.Engine.Activations;

/// <summary>
/// Spans that do not fit together are refused with an <see cref="ArgumentException"/> naming the offending
/// argument, before anything is written: by every form (each width, parallel, fused with a bias).
/// </summary>
public class ActivationMisuseTests
{
    public static TheoryData<string, VectorWidth> Cases() => IdsAndWidths();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_ShorterDestination_ThrowsNamingY(string id, VectorWidth width)
    {
        ActivationFunction activation = Kernel(id);
        foreach (int length in new[] { 1, 3, 100 })
        {
            float[] y = Enumerable.Repeat(7f, length - 1).ToArray();
            var error = Assert.Throws<ArgumentException>(() => activation.Forward(new float[length], y, width));
            Assert.Equal("y", error.ParamName);
            Assert.All(y, v => Assert.Equal(7f, v));
        }
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => activation.Forward(new float[100], new float[99])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => activation.ForwardParallel(new float[100], new float[99])).ParamName);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_PartiallyOverlappingSpans_ThrowNamingY_AndWriteNothing(string id, VectorWidth width)
    {
        ActivationFunction activation = Kernel(id);
        float[] buffer = Inputs(101, seed: 1);
        float[] before = (float[])buffer.Clone();

        AssertY(() => activation.Forward(buffer.AsSpan(0, 100), buffer.AsSpan(1, 100), width));
        AssertY(() => activation.Forward(buffer.AsSpan(1, 100), buffer.AsSpan(0, 100), width));
        AssertY(() => activation.Forward(buffer.AsSpan(0, 50), buffer.AsSpan(49, 52), width));
        AssertY(() => activation.Forward(buffer.AsSpan(50, 50), buffer.AsSpan(0, 51), width));
        AssertY(() => activation.ForwardParallel(buffer.AsSpan(0, 100), buffer.AsSpan(1, 100)));
        Assert.Equal(before, buffer);

        static void AssertY(Action action) => Assert.Equal("y", Assert.Throws<ArgumentException>(action).ParamName);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_ExactlyTheSameSpan_OrADestinationStartingAtTheSameElement_IsAllowed(string id, VectorWidth width)
    {
        ActivationFunction activation = Kernel(id);
        float[] buffer = Inputs(100, seed: 2);
        float[] expected = new float[100];
        activation.Forward(buffer, expected, width);

        // A longer destination over the same first element is in-place work, not a partial overlap.
        float[] longer = [.. buffer, 42f];
        activation.Forward(longer.AsSpan(0, 100), longer, width);
        activation.Forward(buffer.AsSpan(0, 100), buffer.AsSpan(0, 100), width);

        Assert.Equal(expected, buffer);
        Assert.Equal([.. expected, 42f], longer);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_GradientOfAnotherLength_ThrowsNamingDy(string id, VectorWidth width)
    {
        ActivationFunction activation = Kernel(id);
        Assert.Equal("dy", Assert.Throws<ArgumentException>(() => activation.Backward(new float[100], new float[99], new float[100], width)).ParamName);
        Assert.Equal("dy", Assert.Throws<ArgumentException>(() => activation.Backward(new float[100], new float[101], new float[101], width)).ParamName);
        Assert.Equal("dy", Assert.Throws<ArgumentException>(() => activation.Backward(new float[0], new float[1], new float[1], width)).ParamName);
        Assert.Equal("dy", Assert.Throws<ArgumentException>(() => activation.BackwardParallel(new float[100], new float[99], new float[100])).ParamName);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_ShortOrPartiallyOverlappingDestination_ThrowsNamingDx_AndWritesNothing(string id, VectorWidth width)
    {
        ActivationFunction activation = Kernel(id);
        float[] buffer = Inputs(202, seed: 3);
        float[] before = (float[])buffer.Clone();

        AssertDx(() => activation.Backward(new float[100], new float[100], new float[99], width));
        // dx partially over the forward values, then partially over dy, from either side.
        AssertDx(() => activation.Backward(buffer.AsSpan(0, 100), buffer.AsSpan(101, 100), buffer.AsSpan(1, 100), width));
        AssertDx(() => activation.Backward(buffer.AsSpan(1, 100), buffer.AsSpan(101, 100), buffer.AsSpan(0, 100), width));
        AssertDx(() => activation.Backward(buffer.AsSpan(0, 100), buffer.AsSpan(101, 100), buffer.AsSpan(100, 100), width));
        AssertDx(() => activation.Backward(buffer.AsSpan(0, 100), buffer.AsSpan(101, 100), buffer.AsSpan(102, 100), width));
        AssertDx(() => activation.BackwardParallel(buffer.AsSpan(0, 100), buffer.AsSpan(101, 100), buffer.AsSpan(1, 100)));
        AssertDx(() => activation.BackwardParallel(new float[100], new float[100], new float[99]));
        Assert.Equal(before, buffer);

        static void AssertDx(Action action) => Assert.Equal("dx", Assert.Throws<ArgumentException>(action).ParamName);
    }

    [Theory]
    [MemberData(nameof(KernelIds), MemberType = typeof(ActivationTestData))]
    public void ForwardWithBias_NotAWholeNumberOfChannels_ThrowsNamingX(string id)
    {
        ActivationFunction activation = Kernel(id);
        float[] y = Enumerable.Repeat(7f, 10).ToArray();
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => activation.ForwardWithBias(new float[10], new float[3], y)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => activation.ForwardWithBias(new float[1], new float[2], y)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => activation.ForwardWithBias(new float[10], [], y)).ParamName);
        Assert.All(y, v => Assert.Equal(7f, v));

        // No channels and no values is nothing to do.
        activation.ForwardWithBias([], [], []);
    }

    [Theory]
    [MemberData(nameof(KernelIds), MemberType = typeof(ActivationTestData))]
    public void ForwardWithBias_ShortOrPartiallyOverlappingDestination_ThrowsNamingY(string id)
    {
        ActivationFunction activation = Kernel(id);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => activation.ForwardWithBias(new float[12], new float[3], new float[11])).ParamName);

        // Offset by less than a channel: every channel's slices overlap partially.
        float[] buffer = Inputs(13, seed: 4);
        float[] before = (float[])buffer.Clone();
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => activation.ForwardWithBias(buffer.AsSpan(0, 12), new float[3], buffer.AsSpan(1, 12))).ParamName);
        Assert.Equal(before, buffer);
    }

    [Theory]
    [MemberData(nameof(KernelIds), MemberType = typeof(ActivationTestData))]
    public void ForwardWithBias_DestinationOffsetByWholeChannels_ThrowsNamingY(string id)
    {
        ActivationFunction activation = Kernel(id);
        float[] buffer = [-1f, -2f, -3f, -4f, -5f, -6f, -7f, -8f, 0f, 0f, 0f, 0f];
        float[] before = (float[])buffer.Clone();
        var error = Assert.Throws<ArgumentException>(() => activation.ForwardWithBias(buffer.AsSpan(0, 8), [0.5f, -0.5f], buffer.AsSpan(4, 8)));
        Assert.Equal("y", error.ParamName);
        Assert.Equal(before, buffer);
    }
}
