using System.Numerics.Tensors;

namespace Engine.Networks;

/// <summary>
/// Local response normalisation across channels, as ONNX's <c>LRN</c> defines it:
/// y_c = x_c / (bias + alpha/size · Σ x_j²)^beta over the <c>size</c> channels j centred on c.
/// </summary>
public sealed class LocalResponseNormalizationLayer : Layer
{
    /// <summary>LRN over <paramref name="shape"/> with the given constants (ONNX's defaults but for size).</summary>
    public LocalResponseNormalizationLayer(string name, FeatureShape shape, int size = 5, float alpha = 1e-4f, float beta = 0.75f, float bias = 1f)
        : base(name, shape, shape)
    {
        if (size < 1 || size % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The window must be a positive odd number of channels.");
        }
        Size = size;
        Alpha = alpha;
        Beta = beta;
        Bias = bias;

        int channels = shape.Channels;
        neighbours = Enumerable.Range(-size / 2, size)
            .Where(offset => offset != 0 && Math.Abs(offset) < channels)
            .Select(offset => (offset, Enumerable.Range(0, shape.Size)
                .Select(i => i % channels + offset is var neighbour && neighbour >= 0 && neighbour < channels ? 1f : 0f)
                .ToArray()))
            .ToArray();
    }

    // For each channel offset of the window, a mask over one image: 1 where the value at that offset belongs to
    // the same position, 0 where it would be a neighbouring position's channel. Multiplying by 0 or 1 and adding 0
    // are exact, so the masked, vectorised sums equal the per-position loop's up to the order of the additions.
    private readonly (int Offset, float[] Mask)[] neighbours;

    /// <summary>Channels in the window.</summary>
    public int Size { get; }

    /// <summary>The scale of the sum of squares.</summary>
    public float Alpha { get; }

    /// <summary>The exponent.</summary>
    public float Beta { get; }

    /// <summary>The additive constant.</summary>
    public float Bias { get; }

    /// <inheritdoc />
    public override object? CreateScratch(int batchSize, bool training) => new Scratch(batchSize * Input.Size, training);

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int count, object? scratch, Random? training)
    {
        var work = (Scratch)scratch!;
        // Image by image: the six passes then work on a few hundred kilobytes that stay in the cache, where
        // a whole batch's buffers would go to memory and back on every pass. Every step is element by element
        // (the window sums already per image), so the values are those of one pass over the batch.
        int size = Input.Size;
        for (int image = 0; image < count; image++)
        {
            int start = image * size;
            Span<float> denominator = work.Denominator.AsSpan(start, size);
            Span<float> factor = work.Factor.AsSpan(start, size);
            ReadOnlySpan<float> x = input.Slice(start, size);

            TensorPrimitives.Multiply(x, x, factor);
            WindowSums(factor, denominator);
            TensorPrimitives.Multiply(denominator, Alpha / Size, denominator);
            TensorPrimitives.Add(denominator, Bias, denominator);
            Power(denominator, -Beta, factor, work.Terms.AsSpan(start, size));
            TensorPrimitives.Multiply(x, factor, output.Slice(start, size));
        }
    }

    /// <inheritdoc />
    public override void Backward(
        ReadOnlySpan<float> parameters,
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient,
        Span<float> parameterGradient,
        int count,
        object? scratch)
    {
        // dx_c = dy_c·d_c^−β − (2αβ/size)·x_c·Σ_{j near c} dy_j·y_j / d_j, with d the denominator base.
        var work = (Scratch)scratch!;
        int length = count * Input.Size;
        ReadOnlySpan<float> denominator = work.Denominator.AsSpan(0, length);
        ReadOnlySpan<float> factor = work.Factor.AsSpan(0, length);
        Span<float> terms = work.Terms.AsSpan(0, length);
        Span<float> sums = work.Sums.AsSpan(0, length);
        Span<float> dx = inputGradient[..length];

        TensorPrimitives.Multiply(outputGradient[..length], output[..length], terms);
        TensorPrimitives.Divide(terms, denominator, terms);
        WindowSums(terms, sums);
        TensorPrimitives.Multiply(sums, input[..length], sums);
        TensorPrimitives.Multiply(outputGradient[..length], factor, dx);
        TensorPrimitives.MultiplyAdd(sums, -2f * Alpha * Beta / Size, dx, dx);
    }

    // sums[c] = Σ values[j] over the channels j of c's window at the same position.
    private void WindowSums(ReadOnlySpan<float> values, Span<float> sums)
    {
        int size = Input.Size;
        for (int start = 0; start < values.Length; start += size)
        {
            ReadOnlySpan<float> v = values.Slice(start, size);
            Span<float> s = sums.Slice(start, size);
            v.CopyTo(s);
            foreach ((int offset, float[] mask) in neighbours)
            {
                // s[i] += v[i + offset] · mask[i], over the i for which i + offset is inside the image.
                if (offset > 0)
                {
                    TensorPrimitives.MultiplyAdd(v[offset..], mask.AsSpan(0, size - offset), s[..(size - offset)], s[..(size - offset)]);
                }
                else
                {
                    TensorPrimitives.MultiplyAdd(v[..(size + offset)], mask.AsSpan(-offset), s[(-offset)..], s[(-offset)..]);
                }
            }
        }
    }

    // result = value^exponent; −0.75, the usual exponent, as 1/(√v · √√v) with exact, vectorised square roots.
    private static void Power(ReadOnlySpan<float> values, float exponent, Span<float> result, Span<float> temporary)
    {
        if (exponent == -0.75f)
        {
            TensorPrimitives.Sqrt(values, temporary);
            TensorPrimitives.Sqrt(temporary, result);
            TensorPrimitives.Multiply(temporary, result, result);
            TensorPrimitives.Reciprocal(result, result);
            return;
        }
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = MathF.Pow(values[i], exponent);
        }
    }

    private sealed class Scratch(int length, bool training)
    {
        public float[] Denominator { get; } = new float[length];

        public float[] Factor { get; } = new float[length];

        public float[] Terms { get; } = new float[length];

        // Backward only.
        public float[] Sums { get; } = new float[training ? length : 0];
    }
}
