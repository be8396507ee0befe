using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Engine.Activations;

namespace Engine.Numerics;

public static partial class Gemm
{
    /// <summary>Rows of C per block on the 256-bit path: 6 × 2 accumulators of the 16 registers AVX2 has.</summary>
    private const int Rows256 = 6;

    /// <summary>
    /// The path for processors without AVX-512: 16-column blocks, then one 8-column block, then the last
    /// n mod 8 columns in scalar code (AVX2's masked store is slow on some processors, and the edge is narrow).
    /// </summary>
    private static unsafe void Multiply256<TEpilogue>(int m, int n, int k, float* a, nint rowStride, nint colStride, float* b, nint ldb, float* c, nint ldc, bool accumulate, float* bias)
        where TEpilogue : struct, IUnaryOperator
    {
        int j = 0;
        for (; n - j >= 16; j += 16)
        {
            for (int i = 0; i < m; i += Rows256)
            {
                Kernel6x16<TEpilogue>(Math.Min(Rows256, m - i), k, a + i * rowStride, rowStride, colStride, b + j, ldb, c + i * ldc + j, ldc, accumulate, bias + j);
            }
        }
        if (n - j >= 8)
        {
            for (int i = 0; i < m; i += Rows256)
            {
                Kernel6x8<TEpilogue>(Math.Min(Rows256, m - i), k, a + i * rowStride, rowStride, colStride, b + j, ldb, c + i * ldc + j, ldc, accumulate, bias + j);
            }
            j += 8;
        }
        if (j < n)
        {
            MultiplyScalar<TEpilogue>(m, j, n, k, a, rowStride, colStride, b, ldb, c, ldc, accumulate, bias);
        }
    }

    /// <summary>Up to 6 rows × 16 columns of C; rows past <paramref name="rows"/> read the last real row of A and are not stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel6x16<TEpilogue>(int rows, nint k, float* a, nint rowStride, nint colStride, float* b, nint ldb, float* c, nint ldc, bool accumulate, float* bias)
        where TEpilogue : struct, IUnaryOperator
    {
        float* a0 = a;
        float* a1 = a + Math.Min(1, rows - 1) * rowStride;
        float* a2 = a + Math.Min(2, rows - 1) * rowStride;
        float* a3 = a + Math.Min(3, rows - 1) * rowStride;
        float* a4 = a + Math.Min(4, rows - 1) * rowStride;
        float* a5 = a + Math.Min(5, rows - 1) * rowStride;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        nint offset = 0;
        for (nint p = 0; p < k; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> x = Vector256.Create(a0[offset]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[offset]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[offset]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[offset]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a4[offset]);
            c40 = Vector256.FusedMultiplyAdd(x, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a5[offset]);
            c50 = Vector256.FusedMultiplyAdd(x, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            offset += colStride;
            b += ldb;
        }

        (Vector256<float> bias0, Vector256<float> bias1) = typeof(TEpilogue) == typeof(NoEpilogue) ? default : (Vector256.Load(bias), Vector256.Load(bias + 8));
        StoreRow256<TEpilogue>(c, c00, c01, accumulate, bias0, bias1);
        if (rows > 1)
        {
            StoreRow256<TEpilogue>(c + ldc, c10, c11, accumulate, bias0, bias1);
        }
        if (rows > 2)
        {
            StoreRow256<TEpilogue>(c + 2 * ldc, c20, c21, accumulate, bias0, bias1);
        }
        if (rows > 3)
        {
            StoreRow256<TEpilogue>(c + 3 * ldc, c30, c31, accumulate, bias0, bias1);
        }
        if (rows > 4)
        {
            StoreRow256<TEpilogue>(c + 4 * ldc, c40, c41, accumulate, bias0, bias1);
        }
        if (rows > 5)
        {
            StoreRow256<TEpilogue>(c + 5 * ldc, c50, c51, accumulate, bias0, bias1);
        }
    }

    /// <summary>Up to 6 rows × 8 columns of C, as <see cref="Kernel6x16"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel6x8<TEpilogue>(int rows, nint k, float* a, nint rowStride, nint colStride, float* b, nint ldb, float* c, nint ldc, bool accumulate, float* bias)
        where TEpilogue : struct, IUnaryOperator
    {
        float* a0 = a;
        float* a1 = a + Math.Min(1, rows - 1) * rowStride;
        float* a2 = a + Math.Min(2, rows - 1) * rowStride;
        float* a3 = a + Math.Min(3, rows - 1) * rowStride;
        float* a4 = a + Math.Min(4, rows - 1) * rowStride;
        float* a5 = a + Math.Min(5, rows - 1) * rowStride;
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        nint offset = 0;
        for (nint p = 0; p < k; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a0[offset]), b0, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(a1[offset]), b0, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(a2[offset]), b0, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(a3[offset]), b0, c3);
            c4 = Vector256.FusedMultiplyAdd(Vector256.Create(a4[offset]), b0, c4);
            c5 = Vector256.FusedMultiplyAdd(Vector256.Create(a5[offset]), b0, c5);
            offset += colStride;
            b += ldb;
        }

        Vector256<float> bias0 = typeof(TEpilogue) == typeof(NoEpilogue) ? default : Vector256.Load(bias);
        StoreVector256<TEpilogue>(c, c0, accumulate, bias0);
        if (rows > 1)
        {
            StoreVector256<TEpilogue>(c + ldc, c1, accumulate, bias0);
        }
        if (rows > 2)
        {
            StoreVector256<TEpilogue>(c + 2 * ldc, c2, accumulate, bias0);
        }
        if (rows > 3)
        {
            StoreVector256<TEpilogue>(c + 3 * ldc, c3, accumulate, bias0);
        }
        if (rows > 4)
        {
            StoreVector256<TEpilogue>(c + 4 * ldc, c4, accumulate, bias0);
        }
        if (rows > 5)
        {
            StoreVector256<TEpilogue>(c + 5 * ldc, c5, accumulate, bias0);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow256<TEpilogue>(float* c, Vector256<float> first, Vector256<float> second, bool accumulate, Vector256<float> bias0, Vector256<float> bias1)
        where TEpilogue : struct, IUnaryOperator
    {
        StoreVector256<TEpilogue>(c, first, accumulate, bias0);
        StoreVector256<TEpilogue>(c + 8, second, accumulate, bias1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreVector256<TEpilogue>(float* c, Vector256<float> value, bool accumulate, Vector256<float> bias)
        where TEpilogue : struct, IUnaryOperator
    {
        if (typeof(TEpilogue) != typeof(NoEpilogue))
        {
            value = default(TEpilogue).Invoke(value + bias);
        }
        else if (accumulate)
        {
            value += Vector256.Load(c);
        }
        value.Store(c);
    }
}
