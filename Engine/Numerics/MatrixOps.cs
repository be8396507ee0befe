using System.Numerics.Tensors;

namespace Engine.Numerics;

/// <summary>Small helpers on row-major matrices that the layers share.</summary>
public static class MatrixOps
{
    /// <summary>destination[c, r] = source[r, c] for a <paramref name="rows"/>×<paramref name="columns"/> source.</summary>
    public static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(source.Length, rows * columns, nameof(source));
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, rows * columns, nameof(destination));
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                destination[c * rows + r] = source[r * columns + c];
            }
        }
    }

    /// <summary>Copies <paramref name="row"/> into each of the <paramref name="rows"/> rows of <paramref name="destination"/>.</summary>
    public static void Broadcast(ReadOnlySpan<float> row, int rows, Span<float> destination)
    {
        for (int r = 0; r < rows; r++)
        {
            row.CopyTo(destination.Slice(r * row.Length, row.Length));
        }
    }

    /// <summary>sums[c] += Σ_r matrix[r, c] over the first <paramref name="rows"/> rows of width <c>sums.Length</c>.</summary>
    public static void AddColumnSums(ReadOnlySpan<float> matrix, int rows, Span<float> sums)
    {
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(sums, matrix.Slice(r * sums.Length, sums.Length), sums);
        }
    }
}
