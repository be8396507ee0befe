using Engine.Activations;
using static Tests.Engine.Activations.ActivationTestData;

namespace Tests.Engine.Activations;

/// <summary>
/// What <see cref="ActivationKernel"/> owns: aligning the destination, the ×4 unrolled loop, the overlapping
/// vectors at both ends, non-temporal stores from <see cref="ActivationKernel.NonTemporalThreshold"/> bytes,
/// the parallel split and the bias-fused form. Sources and destinations start at every offset 0..15 floats
/// into larger arrays (so every alignment a 64-byte vector can meet), guarded on both sides by sentinels.
/// </summary>
public class ActivationDriverTests
{
    private const float Sentinel = 12345f;

    /// <summary>Floats from which the output is written non-temporally.</summary>
    private static readonly int NonTemporalFloats = (int)(ActivationKernel.NonTemporalThreshold / sizeof(float));

    [Theory]
    [MemberData(nameof(IdsAndWidths), MemberType = typeof(ActivationTestData))]
    public void Forward_AtEveryAlignmentOfSourceAndDestination_MatchesTheScalarReference(string id, VectorWidth width)
    {
        ActivationFunction activation = Kernel(id);
        long maxUlp = width == VectorWidth.Scalar ? 0 : MaxForwardUlp(activation);
        foreach (int length in (int[])[.. Enumerable.Range(0, 80), 127, 128, 129, 255, 256, 257])
        {
            float[] x = Inputs(length, seed: 100 + length);
            float[] expected = [.. x.Select(activation.Invoke)];
            for (int destinationOffset = 0; destinationOffset < 16; destinationOffset++)
            {
                int sourceOffset = (destinationOffset * 7 + length) % 16;
                float[] source = Guarded(x, sourceOffset);
                float[] destination = Guarded(new float[length], destinationOffset);
                activation.Forward(source.AsSpan(sourceOffset, length), destination.AsSpan(destinationOffset, length), width);
                AssertGuardedResult(expected, destination, destinationOffset, maxUlp, $"{id} {width} length {length}, x at +{sourceOffset}, y at +{destinationOffset}");

                float[] inPlace = Guarded(x, destinationOffset);
                activation.Forward(inPlace.AsSpan(destinationOffset, length), inPlace.AsSpan(destinationOffset, length), width);
                AssertGuardedResult(expected, inPlace, destinationOffset, maxUlp, $"{id} {width} length {length} in place at +{destinationOffset}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(IdsAndWidths), MemberType = typeof(ActivationTestData))]
    public void Backward_AtEveryAlignment_MatchesTheScalarFormula(string id, VectorWidth width)
    {
        ActivationFunction activation = Kernel(id);
        double maxError = width == VectorWidth.Scalar ? 0 : MaxBackwardError(activation);
        foreach (int length in (int[])[.. Enumerable.Range(0, 70), 255, 256, 257])
        {
            float[] forward = ForwardValues(activation, Inputs(length, seed: 200 + length));
            float[] dy = Inputs(length, seed: 300 + length).Select(v => Math.Clamp(v, -4f, 4f)).ToArray();
            float[] expected = [.. forward.Select((v, i) => dy[i] * DerivativeFromForwardValue(activation, v))];
            for (int offset = 0; offset < 16; offset++)
            {
                int forwardOffset = (offset * 5 + 3) % 16;
                int dyOffset = (offset * 11 + length) % 16;
                float[] dx = Guarded(new float[length], offset);
                activation.Backward(Guarded(forward, forwardOffset).AsSpan(forwardOffset, length), Guarded(dy, dyOffset).AsSpan(dyOffset, length),
                    dx.AsSpan(offset, length), width);
                AssertGuardedBackward(expected, dx, offset, dy, maxError, $"{id} {width} length {length}, dx at +{offset}");

                float[] overDy = Guarded(dy, offset);
                activation.Backward(forward, overDy.AsSpan(offset, length), overDy.AsSpan(offset, length), width);
                AssertGuardedBackward(expected, overDy, offset, dy, maxError, $"{id} {width} length {length}, dx = dy at +{offset}");
            }
        }
    }

    public static TheoryData<string> LargeCases() => KernelIds();

    [Theory]
    [Trait("Tier", "Slow")]
    [MemberData(nameof(LargeCases))]
    public void Forward_AroundAndAboveTheNonTemporalThreshold_MatchesTheScalarReference_AtEveryWidth(string id)
    {
        ActivationFunction activation = Kernel(id);
        // Just below the threshold, at it (where stores turn non-temporal) and just above it, with remainders that
        // are no multiple of any width.
        int[] lengths = [NonTemporalFloats - 3, NonTemporalFloats, NonTemporalFloats + 5];
        int[] offsets = [0, 1, 15];
        float[] x = Inputs(lengths.Max(), seed: 17);
        float[] expected = [.. x.Select(activation.Invoke)];
        foreach (VectorWidth width in Widths)
        {
            long maxUlp = width == VectorWidth.Scalar ? 0 : MaxForwardUlp(activation);
            foreach (int length in lengths)
            {
                foreach (int offset in offsets)
                {
                    int sourceOffset = 15 - offset;
                    float[] destination = Guarded(new float[length], offset);
                    activation.Forward(Guarded(x.AsSpan(0, length), sourceOffset).AsSpan(sourceOffset, length), destination.AsSpan(offset, length), width);
                    AssertGuardedResult(expected.AsSpan(0, length), destination, offset, maxUlp, $"{id} {width} length {length}, y at +{offset}");

                }
                float[] inPlace = Guarded(x.AsSpan(0, length), 7);
                activation.Forward(inPlace.AsSpan(7, length), inPlace.AsSpan(7, length), width);
                AssertGuardedResult(expected.AsSpan(0, length), inPlace, 7, maxUlp, $"{id} {width} length {length} in place at +7");
            }
        }
    }

    [Theory]
    [Trait("Tier", "Slow")]
    [MemberData(nameof(LargeCases))]
    public void Backward_AboveTheNonTemporalThreshold_MatchesTheScalarFormula_AtEveryWidth(string id)
    {
        ActivationFunction activation = Kernel(id);
        int length = NonTemporalFloats + 13;
        float[] forward = ForwardValues(activation, Inputs(length, seed: 18));
        float[] dy = Inputs(length, seed: 19).Select(v => Math.Clamp(v, -4f, 4f)).ToArray();
        float[] expected = [.. forward.Select((v, i) => dy[i] * DerivativeFromForwardValue(activation, v))];
        foreach (VectorWidth width in Widths)
        {
            double maxError = width == VectorWidth.Scalar ? 0 : MaxBackwardError(activation);
            foreach (int offset in new[] { 0, 3, 9 })
            {
                float[] dx = Guarded(new float[length], offset);
                activation.Backward(forward, dy, dx.AsSpan(offset, length), width);
                AssertGuardedBackward(expected, dx, offset, dy, maxError, $"{id} {width} dx at +{offset}");

                float[] overForward = Guarded(forward, offset);
                activation.Backward(overForward.AsSpan(offset, length), dy, overForward.AsSpan(offset, length), width);
                AssertGuardedBackward(expected, overForward, offset, dy, maxError, $"{id} {width} dx = forward at +{offset}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(LargeCases))]
    public void Parallel_GivesExactlyTheSingleThreadedResult(string id)
    {
        int threshold = ActivationKernel.ParallelThreshold;
        int cores = Environment.ProcessorCount;
        // Below the threshold (one chunk), at it, and above it with lengths the cores divide evenly but that
        // split into chunks of a whole number of cache lines unevenly (lengths the cores do not divide are
        // the skipped bug below).
        int[] lengths = [0, 1, 37, threshold - 1, threshold, RoundUp(threshold, 16 * cores) + 7 * cores, RoundUp(3 * threshold, 16 * cores) + 9 * cores];
        AssertParallelMatches(Kernel(id), lengths);
    }

    [Theory]
    [MemberData(nameof(LargeCases))]
    public void Parallel_LengthTheCoresDoNotDivide_GivesExactlyTheSingleThreadedResult(string id)
    {
        int cores = Math.Max(2, Environment.ProcessorCount);
        // length / cores a multiple of 16, remainder 1 and cores − 1: the tail the chunks miss.
        int whole = RoundUp(ActivationKernel.ParallelThreshold, 16 * cores);
        AssertParallelMatches(Kernel(id), [whole + 1, whole + cores - 1]);
    }

    private static void AssertParallelMatches(ActivationFunction activation, int[] lengths)
    {
        foreach (int length in lengths)
        {
            float[] x = Inputs(length, seed: length);
            float[] dy = Inputs(length, seed: ~length).Select(v => Math.Clamp(v, -4f, 4f)).ToArray();
            float[] single = new float[length];
            activation.Forward(x, single);

            float[] parallel = Guarded(new float[length], 5);
            activation.ForwardParallel(x, parallel.AsSpan(5, length));
            AssertGuardedResult(single, parallel, 5, 0, $"{activation.Id} ForwardParallel length {length}");

            float[] inPlace = (float[])x.Clone();
            activation.ForwardParallel(inPlace, inPlace);
            AssertWithinUlp(single, inPlace, 0, $"{activation.Id} ForwardParallel in place, length {length}");

            float[] forward = ForwardValues(activation, x);
            activation.Backward(forward, dy, single);
            float[] parallelDx = Guarded(new float[length], 3);
            activation.BackwardParallel(forward, dy, parallelDx.AsSpan(3, length));
            AssertGuardedResult(single, parallelDx, 3, 0, $"{activation.Id} BackwardParallel length {length}");

            float[] overDy = (float[])dy.Clone();
            activation.BackwardParallel(forward, overDy, overDy);
            AssertWithinUlp(single, overDy, 0, $"{activation.Id} BackwardParallel dx = dy, length {length}");
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    [Theory]
    [MemberData(nameof(KernelIds), MemberType = typeof(ActivationTestData))]
    public void ForwardWithBias_IsTheActivationOfXPlusItsChannelsBias_InAndOutOfPlace(string id)
    {
        ActivationFunction activation = Kernel(id);
        long maxUlp = MaxForwardUlp(activation);
        foreach (int channels in new[] { 1, 2, 3, 8 })
        {
            foreach (int channelLength in (int[])[.. Enumerable.Range(0, 40), 576, 1001])
            {
                int length = channels * channelLength;
                float[] x = Inputs(length, seed: length + channels).Select(v => Math.Clamp(v, -50f, 50f)).ToArray();
                float[] bias = [.. Enumerable.Range(0, channels).Select(c => (c - 1.5f) * 0.75f)];
                float[] expected = [.. x.Select((v, i) => activation.Invoke(v + bias[i / channelLength]))];

                float[] y = Guarded(new float[length], 1);
                activation.ForwardWithBias(x, bias, y.AsSpan(1, length));
                AssertGuardedResult(expected, y, 1, maxUlp, $"{id} {channels}×{channelLength}");

                float[] inPlace = (float[])x.Clone();
                activation.ForwardWithBias(inPlace, bias, inPlace);
                AssertWithinUlp(expected, inPlace, maxUlp, $"{id} {channels}×{channelLength} in place");

                // The fused form is exactly the bias add followed by the plain kernel: bit for bit when both run at
                // the same width, which for the kernels built on eˣ needs channels of a full 512-bit vector or more
                // (a shorter channel runs at a narrower width or in the scalar loop, MathF.Exp, within MaxForwardUlp).
                if (MaxForwardUlp(activation) == 0 || channelLength >= 16)
                {
                    float[] biased = [.. x.Select((v, i) => v + bias[i / channelLength])];
                    float[] unfused = new float[length];
                    activation.Forward(biased, unfused);
                    Assert.Equal(unfused, inPlace);
                }
            }
        }
    }

    [Fact]
    public void ForwardWithBias_ZeroBias_IsForward_AndBiasesApplyPerChannel()
    {
        // relu over channels [−1, −1] and [1, 1] with biases 2 and −3: f(1), f(1), f(−2), f(−2).
        float[] y = new float[4];
        ActivationFunctions.Relu.ForwardWithBias([-1f, -1f, 1f, 1f], [2f, -3f], y);
        Assert.Equal([1f, 1f, 0f, 0f], y);

        float[] x = Inputs(300, seed: 21);
        float[] viaBias = new float[300];
        float[] viaForward = new float[300];
        ActivationFunctions.Elu.ForwardWithBias(x, new float[3], viaBias);
        ActivationFunctions.Elu.Forward(x, viaForward);
        Assert.Equal(viaForward, viaBias);
    }

    /// <summary>A copy of <paramref name="values"/> starting <paramref name="offset"/> floats into an array with 16 sentinels on each side.</summary>
    private static float[] Guarded(ReadOnlySpan<float> values, int offset)
    {
        float[] array = new float[offset + values.Length + 16];
        array.AsSpan().Fill(Sentinel);
        values.CopyTo(array.AsSpan(offset));
        return array;
    }

    private static void AssertGuardedResult(ReadOnlySpan<float> expected, float[] array, int offset, long maxUlp, string context)
    {
        AssertWithinUlp(expected, array.AsSpan(offset, expected.Length), maxUlp, context);
        AssertSentinels(array, offset, expected.Length, context);
    }

    private static void AssertGuardedBackward(ReadOnlySpan<float> expected, float[] array, int offset, ReadOnlySpan<float> dy, double maxError, string context)
    {
        AssertBackwardMatches(expected, array.AsSpan(offset, expected.Length), dy, maxError, context);
        AssertSentinels(array, offset, expected.Length, context);
    }

    private static void AssertSentinels(float[] array, int offset, int length, string context)
    {
        for (int i = 0; i < array.Length; i++)
        {
            if ((i < offset || i >= offset + length) && array[i] != Sentinel)
            {
                Assert.Fail($"{context}: wrote {array[i]:R} outside the destination, at {i - offset} relative to its start.");
            }
        }
    }
}
