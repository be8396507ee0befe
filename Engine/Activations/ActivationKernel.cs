using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Engine.Activations;

/// <summary>
/// The one driver shared by every activation: it checks the spans, picks the vector width and walks the
/// data. A remainder shorter than a vector is handled by one overlapping vector at the end, computed from
/// the input before the main loop writes anything, so in-place use stays correct.
/// </summary>
internal static class ActivationKernel
{
    public static void Forward<TOperator>(ReadOnlySpan<float> x, Span<float> y, VectorWidth width)
        where TOperator : struct, IActivationOperator
    {
        CheckDestination(x, y, nameof(y));
        ref float source = ref MemoryMarshal.GetReference(x);
        ref float destination = ref MemoryMarshal.GetReference(y);
        nuint length = (nuint)x.Length;

        switch (Resolve(width, x.Length))
        {
            case VectorWidth.Vector512:
            {
                nuint last = length - (nuint)Vector512<float>.Count;
                Vector512<float> tail = TOperator.Invoke(Vector512.LoadUnsafe(ref source, last));
                for (nuint i = 0; i < last; i += (nuint)Vector512<float>.Count)
                {
                    TOperator.Invoke(Vector512.LoadUnsafe(ref source, i)).StoreUnsafe(ref destination, i);
                }
                tail.StoreUnsafe(ref destination, last);
                return;
            }
            case VectorWidth.Vector256:
            {
                nuint last = length - (nuint)Vector256<float>.Count;
                Vector256<float> tail = TOperator.Invoke(Vector256.LoadUnsafe(ref source, last));
                for (nuint i = 0; i < last; i += (nuint)Vector256<float>.Count)
                {
                    TOperator.Invoke(Vector256.LoadUnsafe(ref source, i)).StoreUnsafe(ref destination, i);
                }
                tail.StoreUnsafe(ref destination, last);
                return;
            }
            case VectorWidth.Vector128:
            {
                nuint last = length - (nuint)Vector128<float>.Count;
                Vector128<float> tail = TOperator.Invoke(Vector128.LoadUnsafe(ref source, last));
                for (nuint i = 0; i < last; i += (nuint)Vector128<float>.Count)
                {
                    TOperator.Invoke(Vector128.LoadUnsafe(ref source, i)).StoreUnsafe(ref destination, i);
                }
                tail.StoreUnsafe(ref destination, last);
                return;
            }
            default:
                for (nuint i = 0; i < length; i++)
                {
                    Unsafe.Add(ref destination, i) = TOperator.Invoke(Unsafe.Add(ref source, i));
                }
                return;
        }
    }

    /// <summary>dx = dy · f'(x).</summary>
    public static void Backward<TOperator>(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, VectorWidth width)
        where TOperator : struct, IActivationOperator
    {
        if (dy.Length != x.Length)
        {
            throw new ArgumentException($"The output gradient has {dy.Length} elements but the input has {x.Length}.", nameof(dy));
        }
        CheckDestination(x, dx, nameof(dx));
        CheckDestination(dy, dx, nameof(dx));
        ref float input = ref MemoryMarshal.GetReference(x);
        ref float gradient = ref MemoryMarshal.GetReference(dy);
        ref float destination = ref MemoryMarshal.GetReference(dx);
        nuint length = (nuint)x.Length;

        switch (Resolve(width, x.Length))
        {
            case VectorWidth.Vector512:
            {
                nuint last = length - (nuint)Vector512<float>.Count;
                Vector512<float> tail = Vector512.LoadUnsafe(ref gradient, last) * TOperator.Derivative(Vector512.LoadUnsafe(ref input, last));
                for (nuint i = 0; i < last; i += (nuint)Vector512<float>.Count)
                {
                    (Vector512.LoadUnsafe(ref gradient, i) * TOperator.Derivative(Vector512.LoadUnsafe(ref input, i))).StoreUnsafe(ref destination, i);
                }
                tail.StoreUnsafe(ref destination, last);
                return;
            }
            case VectorWidth.Vector256:
            {
                nuint last = length - (nuint)Vector256<float>.Count;
                Vector256<float> tail = Vector256.LoadUnsafe(ref gradient, last) * TOperator.Derivative(Vector256.LoadUnsafe(ref input, last));
                for (nuint i = 0; i < last; i += (nuint)Vector256<float>.Count)
                {
                    (Vector256.LoadUnsafe(ref gradient, i) * TOperator.Derivative(Vector256.LoadUnsafe(ref input, i))).StoreUnsafe(ref destination, i);
                }
                tail.StoreUnsafe(ref destination, last);
                return;
            }
            case VectorWidth.Vector128:
            {
                nuint last = length - (nuint)Vector128<float>.Count;
                Vector128<float> tail = Vector128.LoadUnsafe(ref gradient, last) * TOperator.Derivative(Vector128.LoadUnsafe(ref input, last));
                for (nuint i = 0; i < last; i += (nuint)Vector128<float>.Count)
                {
                    (Vector128.LoadUnsafe(ref gradient, i) * TOperator.Derivative(Vector128.LoadUnsafe(ref input, i))).StoreUnsafe(ref destination, i);
                }
                tail.StoreUnsafe(ref destination, last);
                return;
            }
            default:
                for (nuint i = 0; i < length; i++)
                {
                    Unsafe.Add(ref destination, i) = Unsafe.Add(ref gradient, i) * TOperator.Derivative(Unsafe.Add(ref input, i));
                }
                return;
        }
    }

    /// <summary>The width to use: the one asked for, narrowed to what the hardware accelerates and what fits in the data.</summary>
    private static VectorWidth Resolve(VectorWidth width, int length)
    {
        if (width is VectorWidth.Best or VectorWidth.Vector512 && Vector512.IsHardwareAccelerated && length >= Vector512<float>.Count)
        {
            return VectorWidth.Vector512;
        }
        if (width is VectorWidth.Best or VectorWidth.Vector512 or VectorWidth.Vector256 && Vector256.IsHardwareAccelerated && length >= Vector256<float>.Count)
        {
            return VectorWidth.Vector256;
        }
        if (width is not VectorWidth.Scalar && Vector128.IsHardwareAccelerated && length >= Vector128<float>.Count)
        {
            return VectorWidth.Vector128;
        }
        return VectorWidth.Scalar;
    }

    /// <summary>
    /// The destination must be as long as the source and either be the very same memory (in place) or not
    /// overlap it at all: a partial overlap would read elements the loop has already overwritten.
    /// </summary>
    private static void CheckDestination(ReadOnlySpan<float> source, Span<float> destination, string name)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"The destination has {destination.Length} elements but needs {source.Length}.", name);
        }
        if (source.Overlaps(destination, out int offset) && offset != 0)
        {
            throw new ArgumentException("The destination partially overlaps the source; use the same span for in-place work or separate memory.", name);
        }
    }
}
