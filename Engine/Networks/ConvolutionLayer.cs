using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Engine.Activations;
using Engine.Numerics;

namespace Engine.Networks;

/// <summary>
/// A square convolution, stride 1, with zero padding, computed as im2col + GEMM: each output position's
/// receptive field is copied into one row of a patch matrix (taps ordered row, column, channel, which in
/// channels-last layout makes each kernel row one contiguous run), and the patch matrix times the weight
/// matrix [taps, filters] gives the output, already channels-last.
/// </summary>
public sealed class ConvolutionLayer : Layer
{
    /// <summary>A convolution of <paramref name="filters"/> <paramref name="kernel"/>×<paramref name="kernel"/> filters over <paramref name="input"/>.</summary>
    public ConvolutionLayer(string name, FeatureShape input, int filters, int kernel, int padding)
        : base(name, input, new FeatureShape(input.Height + 2 * padding - kernel + 1, input.Width + 2 * padding - kernel + 1, filters))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(filters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernel, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        Filters = filters;
        Kernel = kernel;
        Padding = padding;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>The side of each filter.</summary>
    public int Kernel { get; }

    /// <summary>Zeros added on every side of the input.</summary>
    public int Padding { get; }

    /// <summary>Inputs per output value: kernel² × input channels, the rows of the weight matrix.</summary>
    public int Taps => Kernel * Kernel * Input.Channels;

    /// <inheritdoc />
    protected override IEnumerable<(string Role, int Length, int FanIn, bool IsWeight, float InitialValue)> DeclareParameters() =>
        [("weight", Taps * Filters, Taps, true, 0f), ("bias", Filters, Taps, false, 0f)];

    /// <inheritdoc />
    public override object? CreateScratch(int batchSize, bool training) =>
        new Scratch(Output.Area * Taps, training ? Filters * Taps : 0, Padding > 0 ? (Input.Height + 2 * Padding) * (Input.Width + 2 * Padding) * Input.Channels : 0);

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int count, object? scratch, Random? training)
    {
        var work = (Scratch)scratch!;
        ReadOnlySpan<float> weight = parameters[..(Taps * Filters)];
        ReadOnlySpan<float> bias = parameters.Slice(Taps * Filters, Filters);
        int positions = Output.Area;
        for (int image = 0; image < count; image++)
        {
            Span<float> map = output.Slice(image * Output.Size, Output.Size);
            MatrixOps.Broadcast(bias, positions, map);
            ToPatches(input.Slice(image * Input.Size, Input.Size), work.Patches, work.Padded);
            Gemm.Multiply(positions, Filters, Taps, work.Patches, Taps, 1, weight, Filters, map, Filters, accumulate: true);
        }
    }

    /// <inheritdoc />
    public override bool CanApplyActivation => true;

    /// <inheritdoc />
    /// <remarks>
    /// The bias and activation are applied by the product's epilogue, on each block of the map while it is
    /// still in registers: the map is written once, instead of written, read and written again by the bias,
    /// the product and the activation.
    /// </remarks>
    public override void ForwardWithActivation(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int count, object? scratch, ActivationFunction? activation)
    {
        var work = (Scratch)scratch!;
        ReadOnlySpan<float> weight = parameters[..(Taps * Filters)];
        ReadOnlySpan<float> bias = parameters.Slice(Taps * Filters, Filters);
        int positions = Output.Area;
        for (int image = 0; image < count; image++)
        {
            ToPatches(input.Slice(image * Input.Size, Input.Size), work.Patches, work.Padded);
            Gemm.MultiplyAddBias(positions, Filters, Taps, work.Patches, Taps, 1, weight, Filters, bias, output.Slice(image * Output.Size, Output.Size), Filters, activation);
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
        var work = (Scratch)scratch!;
        int positions = Output.Area;
        Span<float> weightGradient = parameterGradient[..(Taps * Filters)];
        Span<float> biasGradient = parameterGradient.Slice(Taps * Filters, Filters);
        if (!inputGradient.IsEmpty)
        {
            MatrixOps.Transpose(parameters[..(Taps * Filters)], Taps, Filters, work.TransposedWeight);
            inputGradient[..(count * Input.Size)].Clear();
        }

        for (int image = 0; image < count; image++)
        {
            ReadOnlySpan<float> mapGradient = outputGradient.Slice(image * Output.Size, Output.Size);
            MatrixOps.AddColumnSums(mapGradient, positions, biasGradient);

            // The patches are rebuilt rather than kept from the forward pass: cheaper than a trip to memory.
            ToPatches(input.Slice(image * Input.Size, Input.Size), work.Patches, work.Padded);
            // dW[tap, filter] += Σ_position patches[position, tap] · dY[position, filter]
            Gemm.Multiply(Taps, Filters, positions, work.Patches, 1, Taps, mapGradient, Filters, weightGradient, Filters, accumulate: true);

            if (!inputGradient.IsEmpty)
            {
                // dPatches = dY · Wᵀ, then every patch value goes back to the input pixel it was copied from.
                Gemm.Multiply(positions, Taps, Filters, mapGradient, Filters, 1, work.TransposedWeight, Taps, work.Patches, Taps, accumulate: false);
                FromPatches(work.Patches, inputGradient.Slice(image * Input.Size, Input.Size));
            }
        }
    }

    // patches[position, (ky, kx, c)] = input[y + ky − padding, x + kx − padding, c], zero outside the image.
    // With padding, the image is first copied into the middle of a zero-bordered buffer; every kernel row of every
    // patch is then one contiguous run of that buffer, copied with no bounds to work out and no zeros to write.
    // A run is copied as two overlapping vectors (or a loop of them), since for a single-channel input it is
    // only five floats long, and slicing and calls would cost more than the copying.
    private unsafe void ToPatches(ReadOnlySpan<float> image, Span<float> patches, float[] padded)
    {
        if (image.Length < Input.Size || patches.Length < Output.Area * Taps)
        {
            throw new ArgumentException("The image or patch buffer is smaller than the layer's shapes.");
        }
        int channels = Input.Channels;
        int run = Kernel * channels;
        int rowLength = Input.Width * channels;
        fixed (float* source = image)
        fixed (float* destination = patches)
        fixed (float* border = padded)
        {
            float* from = source;
            int rowStride = rowLength;
            if (Padding > 0)
            {
                rowStride = (Input.Width + 2 * Padding) * channels;
                for (int y = 0; y < Input.Height; y++)
                {
                    CopyRun(source + y * rowLength, border + (y + Padding) * rowStride + Padding * channels, rowLength);
                }
                from = border;
            }
            float* patch = destination;
            for (int y = 0; y < Output.Height; y++)
            {
                for (int x = 0; x < Output.Width; x++)
                {
                    float* origin = from + y * rowStride + x * channels;
                    for (int ky = 0; ky < Kernel; ky++)
                    {
                        CopyRun(origin + ky * rowStride, patch + ky * run, run);
                    }
                    patch += Taps;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CopyRun(float* from, float* to, int length)
    {
        if (length >= Vector256<float>.Count)
        {
            int last = length - Vector256<float>.Count;
            for (int i = 0; i < last; i += Vector256<float>.Count)
            {
                Vector256.Store(Vector256.Load(from + i), to + i);
            }
            Vector256.Store(Vector256.Load(from + last), to + last);
        }
        else if (length >= Vector128<float>.Count)
        {
            Vector128<float> first = Vector128.Load(from);
            Vector128<float> end = Vector128.Load(from + length - Vector128<float>.Count);
            first.Store(to);
            end.Store(to + length - Vector128<float>.Count);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                to[i] = from[i];
            }
        }
    }

    // The adjoint of ToPatches: adds each patch value into the input position it came from.
    private void FromPatches(ReadOnlySpan<float> patches, Span<float> image)
    {
        int channels = Input.Channels;
        int run = Kernel * channels;
        for (int y = 0; y < Output.Height; y++)
        {
            for (int x = 0; x < Output.Width; x++)
            {
                ReadOnlySpan<float> patch = patches.Slice((y * Output.Width + x) * Taps, Taps);
                int left = x - Padding;
                int first = Math.Max(0, -left);
                int last = Math.Min(Kernel, Input.Width - left);
                for (int ky = 0; ky < Kernel; ky++)
                {
                    int inputY = y + ky - Padding;
                    if (inputY < 0 || inputY >= Input.Height || first >= last)
                    {
                        continue;
                    }
                    Span<float> destination = image.Slice((inputY * Input.Width + left + first) * channels, (last - first) * channels);
                    TensorPrimitives.Add(destination, patch.Slice(ky * run + first * channels, destination.Length), destination);
                }
            }
        }
    }

    private sealed class Scratch(int patches, int weights, int padded)
    {
        public float[] Patches { get; } = new float[patches];

        public float[] TransposedWeight { get; } = new float[weights];

        // The image inside a border of zeros; only the inside is ever written.
        public float[] Padded { get; } = new float[padded];
    }
}
