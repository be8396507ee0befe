using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Activations;

/// <summary>
/// The one driver shared by every activation, forward and backward: it checks the spans, picks the vector
/// width and walks the data.
/// </summary>
/// <remarks>
/// <para>Each width's loop handles the ends with two overlapping vectors, one at each end, both computed from
/// the input before anything is stored, so there is no scalar tail and in-place work stays correct. Between
/// them the destination is walked from its first aligned address, four vectors at a time.</para>
/// <para>Outputs of at least <see cref="NonTemporalThreshold"/> bytes are written with non-temporal stores:
/// such a block does not fit in the caches anyway, and bypassing them spares the read of every destination
/// line that an ordinary store would first make (a third of a copy's memory traffic). Below it, ordinary
/// stores keep the result in cache for whatever reads it next.</para>
/// <para>The parallel forms split work across cores only from <see cref="ParallelThreshold"/> elements up; below
/// that, handing chunks to the thread pool costs more than it saves.</para>
/// </remarks>
internal static unsafe class ActivationKernel
{
    /// <summary>Output size, in bytes, from which stores are non-temporal.</summary>
    public const nuint NonTemporalThreshold = 8 * 1024 * 1024;

    /// <summary>Elements from which the parallel forms use more than one core.</summary>
    public const int ParallelThreshold = 256 * 1024;

    /// <summary>y = op(x).</summary>
    public static void Transform<TOperator>(ReadOnlySpan<float> x, Span<float> y, TOperator op, VectorWidth width)
        where TOperator : struct, IUnaryOperator
    {
        CheckDestination(x, y, nameof(y));
        fixed (float* source = x)
        fixed (float* destination = y)
        {
            Transform(source, destination, (nuint)x.Length, op, width);
        }
    }

    /// <summary>z = op(a, b).</summary>
    public static void Combine<TOperator>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> z, TOperator op, VectorWidth width)
        where TOperator : struct, IBinaryOperator
    {
        CheckInputs(a, b);
        CheckDestination(a, z, nameof(z));
        CheckDestination(b, z, nameof(z));
        fixed (float* first = a)
        fixed (float* second = b)
        fixed (float* destination = z)
        {
            Combine(first, second, destination, (nuint)a.Length, op, width);
        }
    }

    /// <summary>y = op(x), on every core when the data is large enough to be worth it.</summary>
    public static void TransformParallel<TOperator>(ReadOnlySpan<float> x, Span<float> y, TOperator op)
        where TOperator : struct, IUnaryOperator
    {
        if (!WorthSplitting(x.Length))
        {
            Transform(x, y, op, VectorWidth.Best);
            return;
        }
        CheckDestination(x, y, nameof(y));
        fixed (float* source = x)
        fixed (float* destination = y)
        {
            nint xs = (nint)source, ys = (nint)destination;
            ForEachChunk(x.Length, (start, length) =>
                Transform((float*)xs + start, (float*)ys + start, length, op, VectorWidth.Best));
        }
    }

    /// <summary>z = op(a, b), on every core when the data is large enough to be worth it.</summary>
    public static void CombineParallel<TOperator>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> z, TOperator op)
        where TOperator : struct, IBinaryOperator
    {
        if (!WorthSplitting(a.Length))
        {
            Combine(a, b, z, op, VectorWidth.Best);
            return;
        }
        CheckInputs(a, b);
        CheckDestination(a, z, nameof(z));
        CheckDestination(b, z, nameof(z));
        fixed (float* first = a)
        fixed (float* second = b)
        fixed (float* destination = z)
        {
            nint aPointer = (nint)first, bPointer = (nint)second, zPointer = (nint)destination;
            ForEachChunk(a.Length, (start, length) =>
                Combine((float*)aPointer + start, (float*)bPointer + start, (float*)zPointer + start, length, op, VectorWidth.Best));
        }
    }

    private static void Transform<TOperator>(float* x, float* y, nuint length, TOperator op, VectorWidth width)
        where TOperator : struct, IUnaryOperator
    {
        bool nonTemporal = length * sizeof(float) >= NonTemporalThreshold;
        switch (Resolve(width, length, y))
        {
            case VectorWidth.Vector512:
                Transform512(x, y, length, op, nonTemporal);
                return;
            case VectorWidth.Vector256:
                Transform256(x, y, length, op, nonTemporal);
                return;
            case VectorWidth.Vector128:
                Transform128(x, y, length, op, nonTemporal);
                return;
            default:
                for (nuint i = 0; i < length; i++)
                {
                    y[i] = op.Invoke(x[i]);
                }
                return;
        }
    }

    private static void Combine<TOperator>(float* a, float* b, float* z, nuint length, TOperator op, VectorWidth width)
        where TOperator : struct, IBinaryOperator
    {
        bool nonTemporal = length * sizeof(float) >= NonTemporalThreshold;
        switch (Resolve(width, length, z))
        {
            case VectorWidth.Vector512:
                Combine512(a, b, z, length, op, nonTemporal);
                return;
            case VectorWidth.Vector256:
                Combine256(a, b, z, length, op, nonTemporal);
                return;
            case VectorWidth.Vector128:
                Combine128(a, b, z, length, op, nonTemporal);
                return;
            default:
                for (nuint i = 0; i < length; i++)
                {
                    z[i] = op.Invoke(a[i], b[i]);
                }
                return;
        }
    }

    // Compiled on its own and straight to optimised code: inlining the operator into the loop never competes
    // with the callers' budget, and no tier or profile decides differently from one process to the next.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Transform512<TOperator>(float* x, float* y, nuint length, TOperator op, bool nonTemporal)
        where TOperator : struct, IUnaryOperator
    {
        nuint count = (nuint)Vector512<float>.Count;
        Vector512<float> first = op.Invoke(Vector512.Load(x));
        Vector512<float> last = op.Invoke(Vector512.Load(x + length - count));

        nuint i = ElementsToAlignment(y, 64);
        for (; i + 4 * count <= length; i += 4 * count)
        {
            Vector512<float> a0 = op.Invoke(Vector512.Load(x + i));
            Vector512<float> a1 = op.Invoke(Vector512.Load(x + i + count));
            Vector512<float> a2 = op.Invoke(Vector512.Load(x + i + 2 * count));
            Vector512<float> a3 = op.Invoke(Vector512.Load(x + i + 3 * count));
            if (nonTemporal)
            {
                a0.StoreAlignedNonTemporal(y + i);
                a1.StoreAlignedNonTemporal(y + i + count);
                a2.StoreAlignedNonTemporal(y + i + 2 * count);
                a3.StoreAlignedNonTemporal(y + i + 3 * count);
            }
            else
            {
                a0.StoreAligned(y + i);
                a1.StoreAligned(y + i + count);
                a2.StoreAligned(y + i + 2 * count);
                a3.StoreAligned(y + i + 3 * count);
            }
        }
        for (; i + count <= length; i += count)
        {
            op.Invoke(Vector512.Load(x + i)).StoreAligned(y + i);
        }
        FenceNonTemporal(nonTemporal);
        first.Store(y);
        last.Store(y + length - count);
    }

    // Compiled on its own and straight to optimised code: inlining the operator into the loop never competes
    // with the callers' budget, and no tier or profile decides differently from one process to the next.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Transform256<TOperator>(float* x, float* y, nuint length, TOperator op, bool nonTemporal)
        where TOperator : struct, IUnaryOperator
    {
        nuint count = (nuint)Vector256<float>.Count;
        Vector256<float> first = op.Invoke(Vector256.Load(x));
        Vector256<float> last = op.Invoke(Vector256.Load(x + length - count));

        nuint i = ElementsToAlignment(y, 32);
        for (; i + 4 * count <= length; i += 4 * count)
        {
            Vector256<float> a0 = op.Invoke(Vector256.Load(x + i));
            Vector256<float> a1 = op.Invoke(Vector256.Load(x + i + count));
            Vector256<float> a2 = op.Invoke(Vector256.Load(x + i + 2 * count));
            Vector256<float> a3 = op.Invoke(Vector256.Load(x + i + 3 * count));
            if (nonTemporal)
            {
                a0.StoreAlignedNonTemporal(y + i);
                a1.StoreAlignedNonTemporal(y + i + count);
                a2.StoreAlignedNonTemporal(y + i + 2 * count);
                a3.StoreAlignedNonTemporal(y + i + 3 * count);
            }
            else
            {
                a0.StoreAligned(y + i);
                a1.StoreAligned(y + i + count);
                a2.StoreAligned(y + i + 2 * count);
                a3.StoreAligned(y + i + 3 * count);
            }
        }
        for (; i + count <= length; i += count)
        {
            op.Invoke(Vector256.Load(x + i)).StoreAligned(y + i);
        }
        FenceNonTemporal(nonTemporal);
        first.Store(y);
        last.Store(y + length - count);
    }

    // Compiled on its own and straight to optimised code: inlining the operator into the loop never competes
    // with the callers' budget, and no tier or profile decides differently from one process to the next.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Transform128<TOperator>(float* x, float* y, nuint length, TOperator op, bool nonTemporal)
        where TOperator : struct, IUnaryOperator
    {
        nuint count = (nuint)Vector128<float>.Count;
        Vector128<float> first = op.Invoke(Vector128.Load(x));
        Vector128<float> last = op.Invoke(Vector128.Load(x + length - count));

        nuint i = ElementsToAlignment(y, 16);
        for (; i + 4 * count <= length; i += 4 * count)
        {
            Vector128<float> a0 = op.Invoke(Vector128.Load(x + i));
            Vector128<float> a1 = op.Invoke(Vector128.Load(x + i + count));
            Vector128<float> a2 = op.Invoke(Vector128.Load(x + i + 2 * count));
            Vector128<float> a3 = op.Invoke(Vector128.Load(x + i + 3 * count));
            if (nonTemporal)
            {
                a0.StoreAlignedNonTemporal(y + i);
                a1.StoreAlignedNonTemporal(y + i + count);
                a2.StoreAlignedNonTemporal(y + i + 2 * count);
                a3.StoreAlignedNonTemporal(y + i + 3 * count);
            }
            else
            {
                a0.StoreAligned(y + i);
                a1.StoreAligned(y + i + count);
                a2.StoreAligned(y + i + 2 * count);
                a3.StoreAligned(y + i + 3 * count);
            }
        }
        for (; i + count <= length; i += count)
        {
            op.Invoke(Vector128.Load(x + i)).StoreAligned(y + i);
        }
        FenceNonTemporal(nonTemporal);
        first.Store(y);
        last.Store(y + length - count);
    }

    // Compiled on its own and straight to optimised code: inlining the operator into the loop never competes
    // with the callers' budget, and no tier or profile decides differently from one process to the next.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Combine512<TOperator>(float* a, float* b, float* z, nuint length, TOperator op, bool nonTemporal)
        where TOperator : struct, IBinaryOperator
    {
        nuint count = (nuint)Vector512<float>.Count;
        Vector512<float> first = op.Invoke(Vector512.Load(a), Vector512.Load(b));
        Vector512<float> last = op.Invoke(Vector512.Load(a + length - count), Vector512.Load(b + length - count));

        nuint i = ElementsToAlignment(z, 64);
        for (; i + 4 * count <= length; i += 4 * count)
        {
            Vector512<float> z0 = op.Invoke(Vector512.Load(a + i), Vector512.Load(b + i));
            Vector512<float> z1 = op.Invoke(Vector512.Load(a + i + count), Vector512.Load(b + i + count));
            Vector512<float> z2 = op.Invoke(Vector512.Load(a + i + 2 * count), Vector512.Load(b + i + 2 * count));
            Vector512<float> z3 = op.Invoke(Vector512.Load(a + i + 3 * count), Vector512.Load(b + i + 3 * count));
            if (nonTemporal)
            {
                z0.StoreAlignedNonTemporal(z + i);
                z1.StoreAlignedNonTemporal(z + i + count);
                z2.StoreAlignedNonTemporal(z + i + 2 * count);
                z3.StoreAlignedNonTemporal(z + i + 3 * count);
            }
            else
            {
                z0.StoreAligned(z + i);
                z1.StoreAligned(z + i + count);
                z2.StoreAligned(z + i + 2 * count);
                z3.StoreAligned(z + i + 3 * count);
            }
        }
        for (; i + count <= length; i += count)
        {
            op.Invoke(Vector512.Load(a + i), Vector512.Load(b + i)).StoreAligned(z + i);
        }
        FenceNonTemporal(nonTemporal);
        first.Store(z);
        last.Store(z + length - count);
    }

    // Compiled on its own and straight to optimised code: inlining the operator into the loop never competes
    // with the callers' budget, and no tier or profile decides differently from one process to the next.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Combine256<TOperator>(float* a, float* b, float* z, nuint length, TOperator op, bool nonTemporal)
        where TOperator : struct, IBinaryOperator
    {
        nuint count = (nuint)Vector256<float>.Count;
        Vector256<float> first = op.Invoke(Vector256.Load(a), Vector256.Load(b));
        Vector256<float> last = op.Invoke(Vector256.Load(a + length - count), Vector256.Load(b + length - count));

        nuint i = ElementsToAlignment(z, 32);
        for (; i + 4 * count <= length; i += 4 * count)
        {
            Vector256<float> z0 = op.Invoke(Vector256.Load(a + i), Vector256.Load(b + i));
            Vector256<float> z1 = op.Invoke(Vector256.Load(a + i + count), Vector256.Load(b + i + count));
            Vector256<float> z2 = op.Invoke(Vector256.Load(a + i + 2 * count), Vector256.Load(b + i + 2 * count));
            Vector256<float> z3 = op.Invoke(Vector256.Load(a + i + 3 * count), Vector256.Load(b + i + 3 * count));
            if (nonTemporal)
            {
                z0.StoreAlignedNonTemporal(z + i);
                z1.StoreAlignedNonTemporal(z + i + count);
                z2.StoreAlignedNonTemporal(z + i + 2 * count);
                z3.StoreAlignedNonTemporal(z + i + 3 * count);
            }
            else
            {
                z0.StoreAligned(z + i);
                z1.StoreAligned(z + i + count);
                z2.StoreAligned(z + i + 2 * count);
                z3.StoreAligned(z + i + 3 * count);
            }
        }
        for (; i + count <= length; i += count)
        {
            op.Invoke(Vector256.Load(a + i), Vector256.Load(b + i)).StoreAligned(z + i);
        }
        FenceNonTemporal(nonTemporal);
        first.Store(z);
        last.Store(z + length - count);
    }

    // Compiled on its own and straight to optimised code: inlining the operator into the loop never competes
    // with the callers' budget, and no tier or profile decides differently from one process to the next.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Combine128<TOperator>(float* a, float* b, float* z, nuint length, TOperator op, bool nonTemporal)
        where TOperator : struct, IBinaryOperator
    {
        nuint count = (nuint)Vector128<float>.Count;
        Vector128<float> first = op.Invoke(Vector128.Load(a), Vector128.Load(b));
        Vector128<float> last = op.Invoke(Vector128.Load(a + length - count), Vector128.Load(b + length - count));

        nuint i = ElementsToAlignment(z, 16);
        for (; i + 4 * count <= length; i += 4 * count)
        {
            Vector128<float> z0 = op.Invoke(Vector128.Load(a + i), Vector128.Load(b + i));
            Vector128<float> z1 = op.Invoke(Vector128.Load(a + i + count), Vector128.Load(b + i + count));
            Vector128<float> z2 = op.Invoke(Vector128.Load(a + i + 2 * count), Vector128.Load(b + i + 2 * count));
            Vector128<float> z3 = op.Invoke(Vector128.Load(a + i + 3 * count), Vector128.Load(b + i + 3 * count));
            if (nonTemporal)
            {
                z0.StoreAlignedNonTemporal(z + i);
                z1.StoreAlignedNonTemporal(z + i + count);
                z2.StoreAlignedNonTemporal(z + i + 2 * count);
                z3.StoreAlignedNonTemporal(z + i + 3 * count);
            }
            else
            {
                z0.StoreAligned(z + i);
                z1.StoreAligned(z + i + count);
                z2.StoreAligned(z + i + 2 * count);
                z3.StoreAligned(z + i + 3 * count);
            }
        }
        for (; i + count <= length; i += count)
        {
            op.Invoke(Vector128.Load(a + i), Vector128.Load(b + i)).StoreAligned(z + i);
        }
        FenceNonTemporal(nonTemporal);
        first.Store(z);
        last.Store(z + length - count);
    }

    private static bool WorthSplitting(int length) => length >= ParallelThreshold && Environment.ProcessorCount > 1;

    // Splits [0, length) into one chunk per core, each a whole number of cache lines.
    private static void ForEachChunk(int length, Action<nuint, nuint> work)
    {
        int workers = Environment.ProcessorCount;
        const int lineFloats = 64 / sizeof(float);
        int share = (length + workers - 1) / workers;
        int chunk = (share + lineFloats - 1) / lineFloats * lineFloats;
        Parallel.For(0, workers, worker =>
        {
            int start = worker * chunk;
            if (start < length)
            {
                work((nuint)start, (nuint)Math.Min(chunk, length - start));
            }
        });
    }

    // How many floats from `destination` to the next `alignment`-byte boundary (0 if already there).
    private static nuint ElementsToAlignment(float* destination, nuint alignment) =>
        (alignment - ((nuint)destination & (alignment - 1))) % alignment / sizeof(float);

    // Non-temporal stores are weakly ordered: fence them before the ordinary stores that follow, so that
    // another thread that sees those also sees these.
    private static void FenceNonTemporal(bool nonTemporal)
    {
        if (nonTemporal && Sse.IsSupported)
        {
            Sse.StoreFence();
        }
    }

    /// <summary>
    /// The width to use: the one asked for, narrowed to what the hardware accelerates and what fits in the
    /// data. A destination that is not even float-aligned (a span laid over bytes at an odd offset) can never
    /// reach an aligned address, so it takes the scalar loop.
    /// </summary>
    private static VectorWidth Resolve(VectorWidth width, nuint length, float* destination)
    {
        if (((nuint)destination & (sizeof(float) - 1)) != 0)
        {
            return VectorWidth.Scalar;
        }
        if (width is VectorWidth.Best or VectorWidth.Vector512 && Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            return VectorWidth.Vector512;
        }
        if (width is VectorWidth.Best or VectorWidth.Vector512 or VectorWidth.Vector256 && Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            return VectorWidth.Vector256;
        }
        if (width is not VectorWidth.Scalar && Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
        {
            return VectorWidth.Vector128;
        }
        return VectorWidth.Scalar;
    }

    private static void CheckInputs(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"The inputs' lengths differ: {a.Length} and {b.Length}.", nameof(b));
        }
    }

    /// <summary>
    /// The destination must be as long as the source and either be the very same memory (in place) or not
    /// overlap it at all: a partial overlap would read elements the loop has already overwritten.
    /// </summary>
    internal static void CheckDestination(ReadOnlySpan<float> source, Span<float> destination, string name)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"The destination has {destination.Length} elements but needs {source.Length}.", name);
        }
        if (source.Overlaps(destination, out int offset) && offset != 0)
        {
            throw new ArgumentException("The destination partially overlaps an input; use the same span for in-place work or separate memory.", name);
        }
    }
}
