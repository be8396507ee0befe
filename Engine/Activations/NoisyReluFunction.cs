using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>
/// Noisy ReLU (Nair &amp; Hinton, 2010): f(x) = max(0, x + N(0, σ(x))) while training, where σ is the
/// logistic function and N(0, σ(x)) Gaussian noise of variance σ(x); plain ReLU at inference, so its
/// kernels are ReLU's. The noise is treated as a constant in the backward pass, which reads the output:
/// y &gt; 0 exactly where x + noise &gt; 0. In an ONNX graph it is ReLU's Relu, which it is at inference.
/// </summary>
/// <remarks>
/// The noise is vectorised and counter-based: element i's two uniforms are a hash of (seed, 2i) and
/// (seed, 2i + 1), turned into a standard normal by Box–Muller. So every vector width draws the same noise
/// for the same element, and a seed from the caller's <see cref="Random"/> makes a run reproducible.
/// </remarks>
internal sealed unsafe class NoisyReluFunction : ActivationFunction<ReluOperator>
{
    public override string Id => "noisy_relu";

    public override string Name => "Noisy ReLU";

    public override string Formula => "f(x) = max(0, x + N(0, σ(x))) while training (σ the logistic function), max(0, x) at inference";

    public override string DerivativeFormula => "f'(x) = 1 where x + noise > 0, else 0 (noise held constant)";

    public override bool IsStochastic => true;

    public override ActivationRole Role => ActivationRole.Served;

    public override string Colour => "#d62728";

    /// <inheritdoc />
    public override void ApplyTrainingNoise(Span<float> preActivation, Random random) =>
        AddNoise(preActivation, (uint)random.Next(), VectorWidth.Best);

    internal static void AddNoise(Span<float> values, uint seed, VectorWidth width)
    {
        fixed (float* x = values)
        {
            nuint length = (nuint)values.Length;
            if (width is VectorWidth.Best or VectorWidth.Vector512 && Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
            {
                AddNoise512(x, length, seed);
            }
            else if (width is VectorWidth.Best or VectorWidth.Vector512 or VectorWidth.Vector256 && Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
            {
                AddNoise256(x, length, seed);
            }
            else if (width is not VectorWidth.Scalar && Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
            {
                AddNoise128(x, length, seed);
            }
            else
            {
                for (nuint i = 0; i < length; i++)
                {
                    x[i] = Noisy(x[i], (uint)i, seed);
                }
            }
        }
    }

    private static float Noisy(float x, uint index, uint seed)
    {
        float u1 = Uniform(Hash((index << 1) ^ seed));
        float u2 = Uniform(Hash(((index << 1) | 1) ^ seed));
        float normal = MathF.Sqrt(-2f * MathF.Log(u1)) * MathF.Cos(2 * MathF.PI * u2);
        float variance = 1f / (1f + MathF.Exp(-x));
        return x + MathF.Sqrt(variance) * normal;
    }

    // A 32-bit integer hash with good avalanche (Wellons' "lowbias32").
    private static uint Hash(uint h)
    {
        h ^= h >> 16;
        h *= 0x7FEB352D;
        h ^= h >> 15;
        h *= 0x846CA68B;
        return h ^ (h >> 16);
    }

    // The top 24 bits as a float in (0, 1]: never 0, so the logarithm stays finite.
    private static float Uniform(uint h) => ((h >> 8) + 1) * (1f / (1 << 24));

    private static void AddNoise512(float* x, nuint length, uint seed)
    {
        nuint count = (nuint)Vector512<float>.Count;
        // The last vector overlaps the body; computed first from the untouched input, stored last.
        Vector512<float> last = Noisy512(Vector512.Load(x + length - count), (uint)(length - count), seed);
        for (nuint i = 0; i + count <= length; i += count)
        {
            Noisy512(Vector512.Load(x + i), (uint)i, seed).Store(x + i);
        }
        last.Store(x + length - count);
    }

    private static Vector512<float> Noisy512(Vector512<float> x, uint start, uint seed)
    {
        Vector512<uint> index = Vector512.Create(start) + Vector512<uint>.Indices;
        Vector512<float> u1 = Uniform(Hash((index << 1) ^ Vector512.Create(seed)));
        Vector512<float> u2 = Uniform(Hash(((index << 1) | Vector512<uint>.One) ^ Vector512.Create(seed)));
        Vector512<float> normal = Vector512.Sqrt(Vector512.Create(-2f) * Vector512.Log(u1)) * Vector512.Cos(Vector512.Create(2 * MathF.PI) * u2);
        Vector512<float> variance = Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
        return x + Vector512.Sqrt(variance) * normal;
    }

    private static Vector512<uint> Hash(Vector512<uint> h)
    {
        h ^= Vector512.ShiftRightLogical(h, 16);
        h *= Vector512.Create(0x7FEB352Du);
        h ^= Vector512.ShiftRightLogical(h, 15);
        h *= Vector512.Create(0x846CA68Bu);
        return h ^ Vector512.ShiftRightLogical(h, 16);
    }

    private static Vector512<float> Uniform(Vector512<uint> h) =>
        Vector512.ConvertToSingle(Vector512.ShiftRightLogical(h, 8) + Vector512<uint>.One) * Vector512.Create(1f / (1 << 24));

    private static void AddNoise256(float* x, nuint length, uint seed)
    {
        nuint count = (nuint)Vector256<float>.Count;
        // The last vector overlaps the body; computed first from the untouched input, stored last.
        Vector256<float> last = Noisy256(Vector256.Load(x + length - count), (uint)(length - count), seed);
        for (nuint i = 0; i + count <= length; i += count)
        {
            Noisy256(Vector256.Load(x + i), (uint)i, seed).Store(x + i);
        }
        last.Store(x + length - count);
    }

    private static Vector256<float> Noisy256(Vector256<float> x, uint start, uint seed)
    {
        Vector256<uint> index = Vector256.Create(start) + Vector256<uint>.Indices;
        Vector256<float> u1 = Uniform(Hash((index << 1) ^ Vector256.Create(seed)));
        Vector256<float> u2 = Uniform(Hash(((index << 1) | Vector256<uint>.One) ^ Vector256.Create(seed)));
        Vector256<float> normal = Vector256.Sqrt(Vector256.Create(-2f) * Vector256.Log(u1)) * Vector256.Cos(Vector256.Create(2 * MathF.PI) * u2);
        Vector256<float> variance = Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));
        return x + Vector256.Sqrt(variance) * normal;
    }

    private static Vector256<uint> Hash(Vector256<uint> h)
    {
        h ^= Vector256.ShiftRightLogical(h, 16);
        h *= Vector256.Create(0x7FEB352Du);
        h ^= Vector256.ShiftRightLogical(h, 15);
        h *= Vector256.Create(0x846CA68Bu);
        return h ^ Vector256.ShiftRightLogical(h, 16);
    }

    private static Vector256<float> Uniform(Vector256<uint> h) =>
        Vector256.ConvertToSingle(Vector256.ShiftRightLogical(h, 8) + Vector256<uint>.One) * Vector256.Create(1f / (1 << 24));

    private static void AddNoise128(float* x, nuint length, uint seed)
    {
        nuint count = (nuint)Vector128<float>.Count;
        // The last vector overlaps the body; computed first from the untouched input, stored last.
        Vector128<float> last = Noisy128(Vector128.Load(x + length - count), (uint)(length - count), seed);
        for (nuint i = 0; i + count <= length; i += count)
        {
            Noisy128(Vector128.Load(x + i), (uint)i, seed).Store(x + i);
        }
        last.Store(x + length - count);
    }

    private static Vector128<float> Noisy128(Vector128<float> x, uint start, uint seed)
    {
        Vector128<uint> index = Vector128.Create(start) + Vector128<uint>.Indices;
        Vector128<float> u1 = Uniform(Hash((index << 1) ^ Vector128.Create(seed)));
        Vector128<float> u2 = Uniform(Hash(((index << 1) | Vector128<uint>.One) ^ Vector128.Create(seed)));
        Vector128<float> normal = Vector128.Sqrt(Vector128.Create(-2f) * Vector128.Log(u1)) * Vector128.Cos(Vector128.Create(2 * MathF.PI) * u2);
        Vector128<float> variance = Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x));
        return x + Vector128.Sqrt(variance) * normal;
    }

    private static Vector128<uint> Hash(Vector128<uint> h)
    {
        h ^= Vector128.ShiftRightLogical(h, 16);
        h *= Vector128.Create(0x7FEB352Du);
        h ^= Vector128.ShiftRightLogical(h, 15);
        h *= Vector128.Create(0x846CA68Bu);
        return h ^ Vector128.ShiftRightLogical(h, 16);
    }

    private static Vector128<float> Uniform(Vector128<uint> h) =>
        Vector128.ConvertToSingle(Vector128.ShiftRightLogical(h, 8) + Vector128<uint>.One) * Vector128.Create(1f / (1 << 24));
}
