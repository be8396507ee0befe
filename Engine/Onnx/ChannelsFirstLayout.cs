using Engine.Networks;

namespace Engine.Onnx;

/// <summary>
/// Reorders weights between the network's channels-last layout and ONNX's channels-first one. Each pair of
/// methods walks the same indices in opposite directions, so exporting and importing are exact inverses.
/// </summary>
internal static class ChannelsFirstLayout
{
    /// <summary>Convolution weights: ours [tap (ky, kx, c), filter] → ONNX [filter, c, ky, kx].</summary>
    public static float[] ConvolutionToOnnx(ReadOnlySpan<float> ours, int filters, int channels, int kernel)
    {
        var theirs = new float[filters * channels * kernel * kernel];
        for (int f = 0; f < filters; f++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int ky = 0; ky < kernel; ky++)
                {
                    for (int kx = 0; kx < kernel; kx++)
                    {
                        theirs[((f * channels + c) * kernel + ky) * kernel + kx] = ours[((ky * kernel + kx) * channels + c) * filters + f];
                    }
                }
            }
        }
        return theirs;
    }

    /// <summary>Convolution weights: ONNX [filter, c, ky, kx] → ours [tap (ky, kx, c), filter].</summary>
    public static void ConvolutionFromOnnx(ReadOnlySpan<float> theirs, Span<float> ours, int filters, int channels, int kernel)
    {
        for (int f = 0; f < filters; f++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int ky = 0; ky < kernel; ky++)
                {
                    for (int kx = 0; kx < kernel; kx++)
                    {
                        ours[((ky * kernel + kx) * channels + c) * filters + f] = theirs[((f * channels + c) * kernel + ky) * kernel + kx];
                    }
                }
            }
        }
    }

    /// <summary>Dense weights: ours [input (y, x, c), unit] → ONNX Gemm with transB [unit, input (c, y, x)].</summary>
    public static float[] DenseToOnnx(ReadOnlySpan<float> ours, FeatureShape input, int units)
    {
        var theirs = new float[input.Size * units];
        for (int c = 0; c < input.Channels; c++)
        {
            for (int position = 0; position < input.Area; position++)
            {
                int ourInput = position * input.Channels + c;
                int theirInput = c * input.Area + position;
                for (int u = 0; u < units; u++)
                {
                    theirs[u * input.Size + theirInput] = ours[ourInput * units + u];
                }
            }
        }
        return theirs;
    }

    /// <summary>Dense weights: ONNX Gemm with transB [unit, input (c, y, x)] → ours [input (y, x, c), unit].</summary>
    public static void DenseFromOnnx(ReadOnlySpan<float> theirs, Span<float> ours, FeatureShape input, int units)
    {
        for (int c = 0; c < input.Channels; c++)
        {
            for (int position = 0; position < input.Area; position++)
            {
                int ourInput = position * input.Channels + c;
                int theirInput = c * input.Area + position;
                for (int u = 0; u < units; u++)
                {
                    ours[ourInput * units + u] = theirs[u * input.Size + theirInput];
                }
            }
        }
    }
}
