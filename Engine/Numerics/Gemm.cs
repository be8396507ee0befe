namespace Engine.Numerics;

/// <summary>Single-precision matrix multiplication for the network's layers.</summary>
public static class Gemm
{
    /// <summary>
    /// C = A·B, or C += A·B when <paramref name="accumulate"/> is set. A is m×k with element (i, p) at
    /// <c>a[i * aRowStride + p * aColStride]</c>, so a transposed matrix is passed by swapping the strides;
    /// B is k×n row-major with row stride <paramref name="ldb"/>; C is m×n row-major with row stride <paramref name="ldc"/>.
    /// </summary>
    public static void Multiply(
        int m, int n, int k,
        ReadOnlySpan<float> a, int aRowStride, int aColStride,
        ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc,
        bool accumulate)
    {
        // Placeholder: plain loops, replaced by the blocked kernel.
        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * ldc, n);
            if (!accumulate)
            {
                row.Clear();
            }
            for (int p = 0; p < k; p++)
            {
                float value = a[i * aRowStride + p * aColStride];
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), value, row, row);
            }
        }
    }
}
