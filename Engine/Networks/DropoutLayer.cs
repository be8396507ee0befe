using System.Numerics.Tensors;

namespace Engine.Networks;

/// <summary>
/// Inverted dropout: while training, each value is zeroed with probability <see cref="Rate"/> and the rest
/// are scaled by 1/(1 − rate); at inference the layer passes its input through unchanged.
/// </summary>
public sealed class DropoutLayer : Layer
{
    /// <summary>Dropout of <paramref name="rate"/> over <paramref name="shape"/>.</summary>
    public DropoutLayer(string name, FeatureShape shape, float rate)
        : base(name, shape, shape)
    {
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        }
        Rate = rate;
    }

    /// <summary>The probability that a value is dropped while training.</summary>
    public float Rate { get; }

    /// <inheritdoc />
    public override object? CreateScratch(int batchSize, bool training) => training ? new float[batchSize * Input.Size] : null;

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int count, object? scratch, Random? training)
    {
        int length = count * Input.Size;
        if (training is null)
        {
            input[..length].CopyTo(output);
            return;
        }
        Span<float> mask = ((float[])scratch!).AsSpan(0, length);
        float keep = 1f / (1f - Rate);
        for (int i = 0; i < length; i++)
        {
            mask[i] = training.NextSingle() < Rate ? 0f : keep;
        }
        TensorPrimitives.Multiply(input[..length], mask, output[..length]);
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
        int length = count * Input.Size;
        TensorPrimitives.Multiply(outputGradient[..length], ((float[])scratch!).AsSpan(0, length), inputGradient[..length]);
    }
}
