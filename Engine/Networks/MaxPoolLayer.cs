namespace Engine.Networks;

/// <summary>Max pooling over 2×2 windows with stride 2 (odd last rows and columns are dropped, as ONNX's MaxPool does).</summary>
public sealed class MaxPoolLayer : Layer
{
    /// <summary>The side and stride of the window.</summary>
    public const int Window = 2;

    /// <summary>Pooling of <paramref name="input"/>.</summary>
    public MaxPoolLayer(string name, FeatureShape input)
        : base(name, input, new FeatureShape(input.Height / Window, input.Width / Window, input.Channels))
    {
    }

    /// <inheritdoc />
    public override object? CreateScratch(int batchSize, bool training) => new int[batchSize * Output.Size];

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int count, object? scratch, Random? training)
    {
        // Each output remembers which input won (relative to the image), for the backward pass.
        Span<int> winners = ((int[])scratch!).AsSpan(0, count * Output.Size);
        int channels = Input.Channels;
        int rowStride = Input.Width * channels;
        for (int image = 0; image < count; image++)
        {
            ReadOnlySpan<float> source = input.Slice(image * Input.Size, Input.Size);
            Span<float> pooled = output.Slice(image * Output.Size, Output.Size);
            Span<int> won = winners.Slice(image * Output.Size, Output.Size);
            for (int y = 0; y < Output.Height; y++)
            {
                for (int x = 0; x < Output.Width; x++)
                {
                    int topLeft = (Window * y * Input.Width + Window * x) * channels;
                    int o = (y * Output.Width + x) * channels;
                    for (int c = 0; c < channels; c++)
                    {
                        int best = topLeft + c;
                        foreach (int candidate in (ReadOnlySpan<int>)[topLeft + channels + c, topLeft + rowStride + c, topLeft + rowStride + channels + c])
                        {
                            if (source[candidate] > source[best])
                            {
                                best = candidate;
                            }
                        }
                        pooled[o + c] = source[best];
                        won[o + c] = best;
                    }
                }
            }
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
        ReadOnlySpan<int> winners = ((int[])scratch!).AsSpan(0, count * Output.Size);
        inputGradient[..(count * Input.Size)].Clear();
        for (int image = 0; image < count; image++)
        {
            Span<float> destination = inputGradient.Slice(image * Input.Size, Input.Size);
            int offset = image * Output.Size;
            for (int i = 0; i < Output.Size; i++)
            {
                destination[winners[offset + i]] = outputGradient[offset + i];
            }
        }
    }
}
