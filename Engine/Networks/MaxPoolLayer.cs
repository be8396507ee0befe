using System.Numerics.Tensors;

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
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int count, object? scratch, Random? training)
    {
        // Channels-last: the four values of a window are four runs of `channels` floats, compared a vector at a time.
        int channels = Input.Channels;
        int rowStride = Input.Width * channels;
        for (int image = 0; image < count; image++)
        {
            ReadOnlySpan<float> source = input.Slice(image * Input.Size, Input.Size);
            Span<float> pooled = output.Slice(image * Output.Size, Output.Size);
            for (int y = 0; y < Output.Height; y++)
            {
                for (int x = 0; x < Output.Width; x++)
                {
                    int topLeft = (Window * y * Input.Width + Window * x) * channels;
                    Span<float> destination = pooled.Slice((y * Output.Width + x) * channels, channels);
                    TensorPrimitives.Max(source.Slice(topLeft, channels), source.Slice(topLeft + channels, channels), destination);
                    TensorPrimitives.Max(destination, source.Slice(topLeft + rowStride, channels), destination);
                    TensorPrimitives.Max(destination, source.Slice(topLeft + rowStride + channels, channels), destination);
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
        // Each gradient goes to its window's winner.
        inputGradient[..(count * Input.Size)].Clear();
        for (int image = 0; image < count; image++)
        {
            ReadOnlySpan<float> source = input.Slice(image * Input.Size, Input.Size);
            ReadOnlySpan<float> pooled = output.Slice(image * Output.Size, Output.Size);
            ReadOnlySpan<float> gradient = outputGradient.Slice(image * Output.Size, Output.Size);
            Span<float> destination = inputGradient.Slice(image * Input.Size, Input.Size);
            for (int o = 0; o < Output.Size; o++)
            {
                destination[Winner(source, pooled, o)] = gradient[o];
            }
        }
    }

    /// <summary>
    /// Where in <paramref name="image"/> output <paramref name="index"/> of <paramref name="pooled"/> came from:
    /// the first value of its window, in row-major order, equal to the maximum.
    /// </summary>
    internal int Winner(ReadOnlySpan<float> image, ReadOnlySpan<float> pooled, int index)
    {
        int channels = Input.Channels;
        int rowStride = Input.Width * channels;
        int position = index / channels;
        int first = (Window * (position / Output.Width) * Input.Width + Window * (position % Output.Width)) * channels + index % channels;
        float maximum = pooled[index];
        return image[first] == maximum ? first
            : image[first + channels] == maximum ? first + channels
            : image[first + rowStride] == maximum ? first + rowStride
            : first + rowStride + channels;
    }
}
