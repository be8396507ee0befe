using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Activations;

namespace Engine.Numerics;

public static partial class Gemm
{
    /// <summary>Rows of C per 32-column block: 6 × 2 accumulators leave registers for B and the broadcast.</summary>
    private const int Rows32 = 6;

    /// <summary>Rows of C per 16-column block: 8 accumulators, enough independent FMAs to hide their latency.</summary>
    private const int Rows16 = 8;

    private static unsafe void Multiply512<TEpilogue>(int m, int n, int k, float* a, nint rowStride, nint colStride, float* b, nint ldb, float* c, nint ldc, bool accumulate, float* bias)
        where TEpilogue : struct, IUnaryOperator
    {
        int j = 0;
        for (; n - j > 16; j += 32)
        {
            int width = Math.Min(32, n - j);
            if (width == 32)
            {
                Panel32<AllColumns, TEpilogue>(m, k, a, rowStride, colStride, b + j, ldb, c + j, ldc, default, accumulate, bias + j);
            }
            else
            {
                Panel32<FirstColumns, TEpilogue>(m, k, a, rowStride, colStride, b + j, ldb, c + j, ldc, FirstLanes(width - 16), accumulate, bias + j);
            }
        }
        if (j < n)
        {
            int width = n - j;
            if (width == 16)
            {
                Panel16<AllColumns, TEpilogue>(m, k, a, rowStride, colStride, b + j, ldb, c + j, ldc, default, accumulate, bias + j);
            }
            else
            {
                Panel16<FirstColumns, TEpilogue>(m, k, a, rowStride, colStride, b + j, ldb, c + j, ldc, FirstLanes(width), accumulate, bias + j);
            }
        }
    }

    private static Vector512<float> FirstLanes(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    private static unsafe void Panel32<TColumns, TEpilogue>(int m, nint k, float* a, nint rowStride, nint colStride, float* b, nint ldb, float* c, nint ldc, Vector512<float> mask, bool accumulate, float* bias)
        where TColumns : struct, IColumns
        where TEpilogue : struct, IUnaryOperator
    {
        int i = 0;
        for (; i + Rows32 <= m; i += Rows32)
        {
            Kernel6x32<TColumns, Rows6, TEpilogue>(k, a + i * rowStride, rowStride, colStride, b, ldb, c + i * ldc, ldc, mask, accumulate, bias);
        }
        a += i * rowStride;
        c += i * ldc;
        switch (m - i)
        {
            case 1: Kernel6x32<TColumns, Rows1, TEpilogue>(k, a, rowStride, colStride, b, ldb, c, ldc, mask, accumulate, bias); break;
            case 2: Kernel6x32<TColumns, Rows2, TEpilogue>(k, a, rowStride, colStride, b, ldb, c, ldc, mask, accumulate, bias); break;
            case 3: Kernel6x32<TColumns, Rows3, TEpilogue>(k, a, rowStride, colStride, b, ldb, c, ldc, mask, accumulate, bias); break;
            case 4: Kernel6x32<TColumns, Rows4, TEpilogue>(k, a, rowStride, colStride, b, ldb, c, ldc, mask, accumulate, bias); break;
            case 5: Kernel6x32<TColumns, Rows5, TEpilogue>(k, a, rowStride, colStride, b, ldb, c, ldc, mask, accumulate, bias); break;
        }
    }

    private static unsafe void Panel16<TColumns, TEpilogue>(int m, nint k, float* a, nint rowStride, nint colStride, float* b, nint ldb, float* c, nint ldc, Vector512<float> mask, bool accumulate, float* bias)
        where TColumns : struct, IColumns
        where TEpilogue : struct, IUnaryOperator
    {
        int i = 0;
        for (; i + Rows16 <= m; i += Rows16)
        {
            Kernel8x16<TColumns, Rows8, TEpilogue>(k, a + i * rowStride, rowStride, colStride, b, ldb, c + i * ldc, ldc, mask, accumulate, bias);
        }
        a += i * rowStride;
        c += i * ldc;
        switch (m - i)
        {
            case 1: Kernel8x16<TColumns, Rows1, TEpilogue>(k, a, rowStride, colStride, b, ldb, c, ldc, mask, accumulate, bias); break;
            case 2: Kernel8x16<TColumns, Rows2, TEpilogue>(k, a, rowStride, colStride, b, ldb, c, ldc, mask, accumulate, bias); break;
            case 3: Kernel8x16<TColumns, Rows3, TEpilogue>(k, a, rowStride, colStride, b, ldb, c, ldc, mask, accumulate, bias); break;
            case 4: Kernel8x16<TColumns, Rows4, TEpilogue>(k, a, rowStride, colStride, b, ldb, c, ldc, mask, accumulate, bias); break;
            case 5: Kernel8x16<TColumns, Rows5, TEpilogue>(k, a, rowStride, colStride, b, ldb, c, ldc, mask, accumulate, bias); break;
            case 6: Kernel8x16<TColumns, Rows6, TEpilogue>(k, a, rowStride, colStride, b, ldb, c, ldc, mask, accumulate, bias); break;
            case 7: Kernel8x16<TColumns, Rows7, TEpilogue>(k, a, rowStride, colStride, b, ldb, c, ldc, mask, accumulate, bias); break;
        }
    }

    /// <summary>
    /// <typeparamref name="TRows"/> (up to 6) rows × 32 columns of C; the second 16 columns may be masked. The row
    /// count is a type so that each count compiles to its own loop with only its own FMAs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel6x32<TColumns, TRows, TEpilogue>(nint k, float* a, nint rowStride, nint colStride, float* b, nint ldb, float* c, nint ldc, Vector512<float> mask, bool accumulate, float* bias)
        where TColumns : struct, IColumns
        where TRows : struct, IRows
        where TEpilogue : struct, IUnaryOperator
    {
        // Pointers past the row count are never dereferenced.
        float* a0 = a;
        float* a1 = a + rowStride;
        float* a2 = a + 2 * rowStride;
        float* a3 = a + 3 * rowStride;
        float* a4 = a + 4 * rowStride;
        float* a5 = a + 5 * rowStride;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        nint offset = 0;
        for (nint p = 0; p < k; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = TColumns.Load(b + 16, mask);
            Vector512<float> x = Vector512.Create(a0[offset]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            if (TRows.Count > 1)
            {
                x = Vector512.Create(a1[offset]);
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10);
                c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            }
            if (TRows.Count > 2)
            {
                x = Vector512.Create(a2[offset]);
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20);
                c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            }
            if (TRows.Count > 3)
            {
                x = Vector512.Create(a3[offset]);
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30);
                c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            }
            if (TRows.Count > 4)
            {
                x = Vector512.Create(a4[offset]);
                c40 = Vector512.FusedMultiplyAdd(x, b0, c40);
                c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            }
            if (TRows.Count > 5)
            {
                x = Vector512.Create(a5[offset]);
                c50 = Vector512.FusedMultiplyAdd(x, b0, c50);
                c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            }
            offset += colStride;
            b += ldb;
        }

        // The bias is read once the sums are done, so that it takes no register in the loop.
        (Vector512<float> bias0, Vector512<float> bias1) = LoadBias32<TColumns, TEpilogue>(bias, mask);
        StoreRow<TColumns, TEpilogue>(c, c00, c01, mask, accumulate, bias0, bias1);
        if (TRows.Count > 1)
        {
            StoreRow<TColumns, TEpilogue>(c + ldc, c10, c11, mask, accumulate, bias0, bias1);
        }
        if (TRows.Count > 2)
        {
            StoreRow<TColumns, TEpilogue>(c + 2 * ldc, c20, c21, mask, accumulate, bias0, bias1);
        }
        if (TRows.Count > 3)
        {
            StoreRow<TColumns, TEpilogue>(c + 3 * ldc, c30, c31, mask, accumulate, bias0, bias1);
        }
        if (TRows.Count > 4)
        {
            StoreRow<TColumns, TEpilogue>(c + 4 * ldc, c40, c41, mask, accumulate, bias0, bias1);
        }
        if (TRows.Count > 5)
        {
            StoreRow<TColumns, TEpilogue>(c + 5 * ldc, c50, c51, mask, accumulate, bias0, bias1);
        }
    }

    /// <summary><typeparamref name="TRows"/> (up to 8) rows × 16 columns of C, possibly masked, as <see cref="Kernel6x32"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel8x16<TColumns, TRows, TEpilogue>(nint k, float* a, nint rowStride, nint colStride, float* b, nint ldb, float* c, nint ldc, Vector512<float> mask, bool accumulate, float* bias)
        where TColumns : struct, IColumns
        where TRows : struct, IRows
        where TEpilogue : struct, IUnaryOperator
    {
        float* a0 = a;
        float* a1 = a + rowStride;
        float* a2 = a + 2 * rowStride;
        float* a3 = a + 3 * rowStride;
        float* a4 = a + 4 * rowStride;
        float* a5 = a + 5 * rowStride;
        float* a6 = a + 6 * rowStride;
        float* a7 = a + 7 * rowStride;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        nint offset = 0;
        for (nint p = 0; p < k; p++)
        {
            Vector512<float> b0 = TColumns.Load(b, mask);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[offset]), b0, c0);
            if (TRows.Count > 1)
            {
                c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[offset]), b0, c1);
            }
            if (TRows.Count > 2)
            {
                c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[offset]), b0, c2);
            }
            if (TRows.Count > 3)
            {
                c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[offset]), b0, c3);
            }
            if (TRows.Count > 4)
            {
                c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a4[offset]), b0, c4);
            }
            if (TRows.Count > 5)
            {
                c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a5[offset]), b0, c5);
            }
            if (TRows.Count > 6)
            {
                c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a6[offset]), b0, c6);
            }
            if (TRows.Count > 7)
            {
                c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a7[offset]), b0, c7);
            }
            offset += colStride;
            b += ldb;
        }

        Vector512<float> bias0 = LoadBias16<TColumns, TEpilogue>(bias, mask);
        StoreVector<TColumns, TEpilogue>(c, c0, mask, accumulate, bias0);
        if (TRows.Count > 1)
        {
            StoreVector<TColumns, TEpilogue>(c + ldc, c1, mask, accumulate, bias0);
        }
        if (TRows.Count > 2)
        {
            StoreVector<TColumns, TEpilogue>(c + 2 * ldc, c2, mask, accumulate, bias0);
        }
        if (TRows.Count > 3)
        {
            StoreVector<TColumns, TEpilogue>(c + 3 * ldc, c3, mask, accumulate, bias0);
        }
        if (TRows.Count > 4)
        {
            StoreVector<TColumns, TEpilogue>(c + 4 * ldc, c4, mask, accumulate, bias0);
        }
        if (TRows.Count > 5)
        {
            StoreVector<TColumns, TEpilogue>(c + 5 * ldc, c5, mask, accumulate, bias0);
        }
        if (TRows.Count > 6)
        {
            StoreVector<TColumns, TEpilogue>(c + 6 * ldc, c6, mask, accumulate, bias0);
        }
        if (TRows.Count > 7)
        {
            StoreVector<TColumns, TEpilogue>(c + 7 * ldc, c7, mask, accumulate, bias0);
        }
    }

    /// <summary>The 32 (or fewer) biases of a block's columns; nothing without an epilogue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe (Vector512<float>, Vector512<float>) LoadBias32<TColumns, TEpilogue>(float* bias, Vector512<float> mask)
        where TColumns : struct, IColumns
        where TEpilogue : struct, IUnaryOperator
    {
        if (typeof(TEpilogue) == typeof(NoEpilogue))
        {
            return default;
        }
        return (Vector512.Load(bias), TColumns.Load(bias + 16, mask));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<float> LoadBias16<TColumns, TEpilogue>(float* bias, Vector512<float> mask)
        where TColumns : struct, IColumns
        where TEpilogue : struct, IUnaryOperator =>
        typeof(TEpilogue) == typeof(NoEpilogue) ? default : TColumns.Load(bias, mask);

    /// <summary>
    /// Stores one row of a block: the sums, the sums added to C when accumulating, or, with an epilogue,
    /// f(sums + bias) while they are still in registers. The bias is added as the plain path adds a C that
    /// holds it, so both round alike.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow<TColumns, TEpilogue>(float* c, Vector512<float> first, Vector512<float> second, Vector512<float> mask, bool accumulate, Vector512<float> bias0, Vector512<float> bias1)
        where TColumns : struct, IColumns
        where TEpilogue : struct, IUnaryOperator
    {
        if (typeof(TEpilogue) != typeof(NoEpilogue))
        {
            first = default(TEpilogue).Invoke(first + bias0);
            second = default(TEpilogue).Invoke(second + bias1);
        }
        else if (accumulate)
        {
            first += Vector512.Load(c);
            second += TColumns.Load(c + 16, mask);
        }
        first.Store(c);
        TColumns.Store(c + 16, second, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreVector<TColumns, TEpilogue>(float* c, Vector512<float> value, Vector512<float> mask, bool accumulate, Vector512<float> bias)
        where TColumns : struct, IColumns
        where TEpilogue : struct, IUnaryOperator
    {
        if (typeof(TEpilogue) != typeof(NoEpilogue))
        {
            value = default(TEpilogue).Invoke(value + bias);
        }
        else if (accumulate)
        {
            value += TColumns.Load(c, mask);
        }
        TColumns.Store(c, value, mask);
    }

    /// <summary>How the last 16 columns of a block are read and written: whole, or only the lanes a mask selects.</summary>
    private unsafe interface IColumns
    {
        static abstract Vector512<float> Load(float* source, Vector512<float> mask);

        static abstract void Store(float* destination, Vector512<float> value, Vector512<float> mask);
    }

    /// <summary>How many rows of C a kernel computes, as a type: the JIT compiles each count separately and drops the other rows' code.</summary>
    private interface IRows
    {
        static abstract int Count { get; }
    }

    private readonly struct Rows1 : IRows { public static int Count => 1; }

    private readonly struct Rows2 : IRows { public static int Count => 2; }

    private readonly struct Rows3 : IRows { public static int Count => 3; }

    private readonly struct Rows4 : IRows { public static int Count => 4; }

    private readonly struct Rows5 : IRows { public static int Count => 5; }

    private readonly struct Rows6 : IRows { public static int Count => 6; }

    private readonly struct Rows7 : IRows { public static int Count => 7; }

    private readonly struct Rows8 : IRows { public static int Count => 8; }

    private readonly unsafe struct AllColumns : IColumns
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load(float* source, Vector512<float> mask) => Vector512.Load(source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(float* destination, Vector512<float> value, Vector512<float> mask) => value.Store(destination);
    }

    /// <summary>Masked lanes are neither read nor written, so the block may end anywhere, even at the end of the span.</summary>
    private readonly unsafe struct FirstColumns : IColumns
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load(float* source, Vector512<float> mask) => Avx512F.MaskLoad(source, mask, Vector512<float>.Zero);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(float* destination, Vector512<float> value, Vector512<float> mask) => Avx512F.MaskStore(destination, mask, value);
    }
}
