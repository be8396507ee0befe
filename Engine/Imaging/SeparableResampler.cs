using System.Buffers;
using System.Numerics.Tensors;

namespace Engine.Imaging;

/// <summary>
/// Anti-aliased separable resize of a rectangular region of a single-channel image: area averaging
/// (box filter covering each output pixel's footprint) when shrinking an axis, triangle (bilinear) when
/// enlarging it.
/// </summary>
/// <remarks>
/// Area averaging is what makes a thin stroke survive a large reduction as a grey line instead of
/// vanishing between samples; bilinear avoids the blockiness nearest-neighbour would give small inputs.
/// Each axis is scaled by its own exact ratio (output / input), so the output covers the input exactly.
/// </remarks>
internal static class SeparableResampler
{
    /// <summary>
    /// Resamples the <paramref name="regionWidth"/> × <paramref name="regionHeight"/> region at
    /// (<paramref name="left"/>, <paramref name="top"/>) of <paramref name="source"/> (row stride
    /// <paramref name="sourceStride"/>) into <paramref name="destination"/>, row-major
    /// <paramref name="outputWidth"/> × <paramref name="outputHeight"/>.
    /// </summary>
    public static void Resample(
        ReadOnlySpan<float> source, int sourceStride,
        int left, int top, int regionWidth, int regionHeight,
        Span<float> destination, int outputWidth, int outputHeight)
    {
        AxisWeights horizontal = AxisWeights.Create(regionWidth, outputWidth);
        AxisWeights vertical = AxisWeights.Create(regionHeight, outputHeight);

        int intermediateLength = regionHeight * outputWidth;
        float[] rented = ArrayPool<float>.Shared.Rent(intermediateLength);
        try
        {
            Span<float> intermediate = rented.AsSpan(0, intermediateLength);

            for (int y = 0; y < regionHeight; y++)
            {
                ReadOnlySpan<float> row = source.Slice((top + y) * sourceStride + left, regionWidth);
                Span<float> outRow = intermediate.Slice(y * outputWidth, outputWidth);
                for (int x = 0; x < outputWidth; x++)
                {
                    int start = horizontal.Starts[x];
                    ReadOnlySpan<float> taps = horizontal.TapsOf(x);
                    float sum = 0f;
                    for (int k = 0; k < taps.Length; k++)
                    {
                        sum += taps[k] * row[start + k];
                    }

                    outRow[x] = sum;
                }
            }

            // Vertical pass works on whole rows so the inner loop is a vectorised multiply-add.
            for (int y = 0; y < outputHeight; y++)
            {
                Span<float> outRow = destination.Slice(y * outputWidth, outputWidth);
                outRow.Clear();
                int start = vertical.Starts[y];
                ReadOnlySpan<float> taps = vertical.TapsOf(y);
                for (int k = 0; k < taps.Length; k++)
                {
                    ReadOnlySpan<float> inRow = intermediate.Slice((start + k) * outputWidth, outputWidth);
                    TensorPrimitives.MultiplyAdd(inRow, taps[k], outRow, outRow);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>Per-output-pixel contiguous source taps along one axis.</summary>
    private readonly struct AxisWeights
    {
        public readonly int[] Starts;
        private readonly int[] counts;
        private readonly float[] weights;
        private readonly int stride;

        private AxisWeights(int[] starts, int[] counts, float[] weights, int stride)
        {
            Starts = starts;
            this.counts = counts;
            this.weights = weights;
            this.stride = stride;
        }

        public ReadOnlySpan<float> TapsOf(int output) => weights.AsSpan(output * stride, counts[output]);

        public static AxisWeights Create(int inputLength, int outputLength)
        {
            double ratio = (double)inputLength / outputLength;
            return outputLength < inputLength
                ? CreateAreaAverage(inputLength, outputLength, ratio)
                : CreateTriangle(inputLength, outputLength, ratio);
        }

        private static AxisWeights CreateAreaAverage(int inputLength, int outputLength, double ratio)
        {
            // A footprint of length ratio can straddle ceil(ratio) + 1 source pixels.
            int stride = (int)Math.Ceiling(ratio) + 1;
            var starts = new int[outputLength];
            var counts = new int[outputLength];
            var weights = new float[outputLength * stride];
            for (int i = 0; i < outputLength; i++)
            {
                double low = i * ratio;
                double high = Math.Min((i + 1) * ratio, inputLength);
                int first = (int)Math.Floor(low);
                int last = Math.Min((int)Math.Ceiling(high) - 1, inputLength - 1);
                starts[i] = first;
                int count = 0;
                for (int j = first; j <= last; j++)
                {
                    double overlap = Math.Min(j + 1, high) - Math.Max(j, low);
                    weights[i * stride + count++] = (float)(Math.Max(overlap, 0) / ratio);
                }

                counts[i] = count;
            }

            return new AxisWeights(starts, counts, weights, stride);
        }

        private static AxisWeights CreateTriangle(int inputLength, int outputLength, double ratio)
        {
            const int stride = 2;
            var starts = new int[outputLength];
            var counts = new int[outputLength];
            var weights = new float[outputLength * stride];
            for (int i = 0; i < outputLength; i++)
            {
                // Pixel centres are aligned (half-pixel convention), so equal lengths give the identity.
                double position = (i + 0.5) * ratio - 0.5;
                int lower = (int)Math.Floor(position);
                double fraction = position - lower;
                if (lower < 0)
                {
                    lower = 0;
                    fraction = 0;
                }

                if (lower >= inputLength - 1)
                {
                    lower = inputLength - 1;
                    fraction = 0;
                }

                starts[i] = lower;
                if (fraction == 0)
                {
                    counts[i] = 1;
                    weights[i * stride] = 1f;
                }
                else
                {
                    counts[i] = 2;
                    weights[i * stride] = (float)(1 - fraction);
                    weights[i * stride + 1] = (float)fraction;
                }
            }

            return new AxisWeights(starts, counts, weights, stride);
        }
    }
}
