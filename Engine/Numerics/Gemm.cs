using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Activations;

namespace Engine.Numerics;

/// <summary>Single-precision matrix multiplication for the network's layers.</summary>
/// <remarks>
/// A register-tiled kernel: a block of C of a few rows by 16 or 32 columns lives in vector registers while
/// the whole k dimension streams past, each step broadcasting one element of A per row and loading one row
/// of B, so every element of C is loaded and stored once. A is read in place through its two strides, which
/// covers both the normal and the transposed layout without packing. The partial vectors at the right edge
/// of C are masked (AVX-512) or finished by scalar code (256-bit path). The rows at the bottom edge get a
/// kernel compiled for their count (AVX-512), or reuse the full one with the missing rows aliased to the
/// last real row and left unstored (256-bit path).
/// </remarks>
public static partial class Gemm
{
    /// <summary>
    /// C = A·B, or C += A·B when <paramref name="accumulate"/> is set. A is m×k with element (i, p) at
    /// <c>a[i * aRowStride + p * aColStride]</c>, so a transposed matrix is passed by swapping the strides;
    /// B is k×n row-major with row stride <paramref name="ldb"/>; C is m×n row-major with row stride <paramref name="ldc"/>.
    /// </summary>
    /// <remarks>
    /// Single-threaded; callers parallelise across images. No alignment is assumed. With k = 0, C is cleared
    /// (or left unchanged when accumulating). Sums are accumulated in single precision in the order of p, per
    /// element; the vector paths and the scalar path may differ in the last bits. C must not overlap A or B.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A size or stride is negative, or <paramref name="ldc"/> is less than n while m &gt; 1.</exception>
    /// <exception cref="ArgumentException">A span is too short for the shape and strides given.</exception>
    public static void Multiply(
        int m, int n, int k,
        ReadOnlySpan<float> a, int aRowStride, int aColStride,
        ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc,
        bool accumulate) =>
        Multiply(m, n, k, a, aRowStride, aColStride, b, ldb, c, ldc, accumulate, VectorWidth.Best);

    /// <summary>The same, with the widest vectors to use: <see cref="VectorWidth.Vector512"/>, <see cref="VectorWidth.Vector256"/> or <see cref="VectorWidth.Scalar"/>.</summary>
    /// <remarks>A width the processor does not accelerate falls back to the next narrower one; Vector128 means scalar.</remarks>
    internal static unsafe void Multiply(
        int m, int n, int k,
        ReadOnlySpan<float> a, int aRowStride, int aColStride,
        ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc,
        bool accumulate, VectorWidth width)
    {
        Validate(m, n, k, a.Length, aRowStride, aColStride, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    c.Slice(i * ldc, n).Clear();
                }
            }
            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            Run<NoEpilogue>(m, n, k, pa, aRowStride, aColStride, pb, ldb, pc, ldc, accumulate, null, width);
        }
    }

    /// <summary>
    /// C = f(A·B + bias): a layer's matrix product with its bias (one per column of C) and activation applied
    /// while each block of C is still in registers, so C is written once and never read back. A, B and C are
    /// laid out as in <see cref="Multiply(int, int, int, ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/>;
    /// <paramref name="activation"/> null means bias only.
    /// </summary>
    /// <remarks>
    /// Single-threaded. Each element's sum is formed exactly as <c>Multiply</c> forms it, then the bias is added
    /// and the activation's own vector kernel applied; so, where <c>Multiply</c> and the activation run at the
    /// same vector width, the result is bit for bit that of writing the bias into C, multiplying with
    /// accumulation and running <see cref="ActivationFunction.Forward(ReadOnlySpan{float}, Span{float})"/> over C.
    /// A stochastic activation is applied as at inference (Noisy ReLU as ReLU). With k = 0, C = f(bias).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A size or stride is negative, or <paramref name="ldc"/> is less than n while m &gt; 1.</exception>
    /// <exception cref="ArgumentException">A span is too short for the shape and strides given, or <paramref name="bias"/> holds fewer than n values.</exception>
    public static void MultiplyAddBias(
        int m, int n, int k,
        ReadOnlySpan<float> a, int aRowStride, int aColStride,
        ReadOnlySpan<float> b, int ldb,
        ReadOnlySpan<float> bias,
        Span<float> c, int ldc,
        ActivationFunction? activation) =>
        MultiplyAddBias(m, n, k, a, aRowStride, aColStride, b, ldb, bias, c, ldc, activation, VectorWidth.Best);

    /// <summary>The same, with the widest vectors to use, as the plain product's internal overload.</summary>
    internal static unsafe void MultiplyAddBias(
        int m, int n, int k,
        ReadOnlySpan<float> a, int aRowStride, int aColStride,
        ReadOnlySpan<float> b, int ldb,
        ReadOnlySpan<float> bias,
        Span<float> c, int ldc,
        ActivationFunction? activation, VectorWidth width)
    {
        Validate(m, n, k, a.Length, aRowStride, aColStride, b.Length, ldb, c.Length, ldc);
        if (bias.Length < n)
        {
            throw new ArgumentException($"The bias has {bias.Length} values but C has {n} columns.", nameof(bias));
        }
        if (m == 0 || n == 0)
        {
            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pbias = bias)
        fixed (float* pc = c)
        {
            if (activation is null)
            {
                Run<IdentityOperator>(m, n, k, pa, aRowStride, aColStride, pb, ldb, pc, ldc, false, pbias, width);
            }
            else
            {
                activation.MultiplyAddBias(m, n, k, pa, aRowStride, aColStride, pb, ldb, pbias, pc, ldc, width);
            }
        }
    }

    /// <summary>C = op(A·B + bias) with the activation's operator compiled into the kernels' epilogue.</summary>
    internal static unsafe void MultiplyAddBias<TActivation>(int m, int n, int k, float* a, nint rowStride, nint colStride, float* b, nint ldb, float* bias, float* c, nint ldc, VectorWidth width)
        where TActivation : struct, IUnaryOperator =>
        Run<TActivation>(m, n, k, a, rowStride, colStride, b, ldb, c, ldc, false, bias, width);

    private static unsafe void Run<TEpilogue>(int m, int n, int k, float* a, nint rowStride, nint colStride, float* b, nint ldb, float* c, nint ldc, bool accumulate, float* bias, VectorWidth width)
        where TEpilogue : struct, IUnaryOperator
    {
        if (width is VectorWidth.Best or VectorWidth.Vector512 && Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
        {
            Multiply512<TEpilogue>(m, n, k, a, rowStride, colStride, b, ldb, c, ldc, accumulate, bias);
        }
        else if (width is VectorWidth.Best or VectorWidth.Vector512 or VectorWidth.Vector256 && Vector256.IsHardwareAccelerated)
        {
            Multiply256<TEpilogue>(m, n, k, a, rowStride, colStride, b, ldb, c, ldc, accumulate, bias);
        }
        else
        {
            MultiplyScalar<TEpilogue>(m, 0, n, k, a, rowStride, colStride, b, ldb, c, ldc, accumulate, bias);
        }
    }

    private static void Validate(int m, int n, int k, int aLength, int aRowStride, int aColStride, int bLength, int ldb, int cLength, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(aRowStride);
        ArgumentOutOfRangeException.ThrowIfNegative(aColStride);
        ArgumentOutOfRangeException.ThrowIfNegative(ldb);
        ArgumentOutOfRangeException.ThrowIfNegative(ldc);
        // Rows of C that overlap would make the result depend on the order of the stores.
        if (m > 1)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(ldc, n);
        }

        // In long: the last index of a span that is too short can overflow int.
        if (m > 0 && k > 0 && (long)(m - 1) * aRowStride + (long)(k - 1) * aColStride >= aLength)
        {
            throw new ArgumentException($"A needs {(long)(m - 1) * aRowStride + (long)(k - 1) * aColStride + 1} elements for {m}×{k} with strides ({aRowStride}, {aColStride}); it has {aLength}.", "a");
        }
        if (k > 0 && n > 0 && (long)(k - 1) * ldb + n > bLength)
        {
            throw new ArgumentException($"B needs {(long)(k - 1) * ldb + n} elements for {k}×{n} with row stride {ldb}; it has {bLength}.", "b");
        }
        if (m > 0 && n > 0 && (long)(m - 1) * ldc + n > cLength)
        {
            throw new ArgumentException($"C needs {(long)(m - 1) * ldc + n} elements for {m}×{n} with row stride {ldc}; it has {cLength}.", "c");
        }
    }

    /// <summary>Columns <paramref name="j0"/> to n of C, one row at a time: the fallback, and the 256-bit path's last few columns.</summary>
    private static unsafe void MultiplyScalar<TEpilogue>(int m, int j0, int n, int k, float* a, nint rowStride, nint colStride, float* b, nint ldb, float* c, nint ldc, bool accumulate, float* bias)
        where TEpilogue : struct, IUnaryOperator
    {
        for (nint i = 0; i < m; i++)
        {
            float* row = c + i * ldc;
            float* aRow = a + i * rowStride;
            for (nint j = j0; j < n; j++)
            {
                float sum = 0;
                float* bColumn = b + j;
                for (nint p = 0; p < k; p++)
                {
                    sum += aRow[p * colStride] * bColumn[p * ldb];
                }
                if (typeof(TEpilogue) != typeof(NoEpilogue))
                {
                    row[j] = default(TEpilogue).Invoke(sum + bias[j]);
                }
                else
                {
                    row[j] = accumulate ? row[j] + sum : sum;
                }
            }
        }
    }

    /// <summary>The plain product: the kernels store the sums (added to C when accumulating), with no bias or activation.</summary>
    private readonly struct NoEpilogue : IUnaryOperator
    {
        public float Invoke(float x) => x;
        public Vector128<float> Invoke(Vector128<float> x) => x;
        public Vector256<float> Invoke(Vector256<float> x) => x;
        public Vector512<float> Invoke(Vector512<float> x) => x;
    }

    /// <summary>The bias-only epilogue, for a layer without an activation (the logits).</summary>
    private readonly struct IdentityOperator : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> x) => x;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x) => x;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x) => x;
    }
}
