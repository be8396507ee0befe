using System.Numerics.Tensors;
using Engine.Numerics;

namespace Engine.Activations;

/// <summary>
/// An activation with a slope learned for each unit (PReLU): the plain kernels of <see cref="ActivationFunction{TOperator}"/>
/// at the initial slope, and the forms a network's layer runs with its learned slopes.
/// </summary>
/// <remarks>
/// The values are channels-last, so the slopes repeat every <c>slopes.Length</c> values. They are tiled once per
/// call into a block of whole rows (on the stack) and the shared driver combines x with it block by block, so each
/// value is computed by the same vector code as any other activation's.
/// </remarks>
internal sealed class LearnedSlopeFunction<TOperator> : ActivationFunction<TOperator>
    where TOperator : struct, ILearnedSlopeOperator
{
    // Values per tiled block: whole rows up to 4 KiB, enough for the driver's main loop at every width.
    private const int TileLength = 1024;

    public override float? InitialSlope => TOperator.InitialSlope;

    internal override void ForwardWithSlopes(ReadOnlySpan<float> x, ReadOnlySpan<float> slopes, Span<float> y)
    {
        CheckUnits(x.Length, slopes.Length);
        ActivationKernel.CheckDestination(x, y, nameof(y));
        Span<float> tile = slopes.Length <= TileLength ? stackalloc float[Tile(slopes.Length)] : new float[slopes.Length];
        Fill(tile, slopes);
        for (int start = 0; start < x.Length; start += tile.Length)
        {
            int length = Math.Min(tile.Length, x.Length - start);
            ActivationKernel.Combine(x.Slice(start, length), tile[..length], y.Slice(start, length), default(SlopedOperator<TOperator>), VectorWidth.Best);
        }
    }

    internal override void BackwardWithSlopes(ReadOnlySpan<float> x, ReadOnlySpan<float> slopes, ReadOnlySpan<float> dy, Span<float> dx, Span<float> slopeGradient)
    {
        CheckUnits(x.Length, slopes.Length);
        CheckBackward(x, dy, dx);
        if (dx.Overlaps(x) || dx.Overlaps(dy))
        {
            throw new ArgumentException("The destination overlaps an input; the backward pass with slopes needs memory of its own.", nameof(dx));
        }
        if (slopeGradient.Length != slopes.Length)
        {
            throw new ArgumentException($"The slope gradient has {slopeGradient.Length} values for {slopes.Length} units.", nameof(slopeGradient));
        }
        dx = dx[..x.Length];

        // Each value's dy · ∂f/∂a goes to dx first (overwritten below) and is summed per unit, row by row in order.
        ActivationKernel.Combine(x, dy, dx, default(SlopeGradientOperator<TOperator>), VectorWidth.Best);
        MatrixOps.AddColumnSums(dx, x.Length / slopes.Length, slopeGradient);

        Span<float> tile = slopes.Length <= TileLength ? stackalloc float[Tile(slopes.Length)] : new float[slopes.Length];
        Fill(tile, slopes);
        for (int start = 0; start < x.Length; start += tile.Length)
        {
            int length = Math.Min(tile.Length, x.Length - start);
            ActivationKernel.Combine(x.Slice(start, length), tile[..length], dx.Slice(start, length), default(SlopedDerivativeOperator<TOperator>), VectorWidth.Best);
        }
        TensorPrimitives.Multiply(dx, dy, dx);
    }

    private static void CheckUnits(int values, int units)
    {
        if (units == 0 ? values != 0 : values % units != 0)
        {
            throw new ArgumentException($"{values} values are not a whole number of rows of {units} units.", "slopes");
        }
    }

    // Whole rows of `units` values, as many as fit in TileLength (at least one).
    private static int Tile(int units) => units == 0 ? 0 : Math.Max(1, TileLength / units) * units;

    private static void Fill(Span<float> tile, ReadOnlySpan<float> slopes)
    {
        for (int start = 0; start < tile.Length; start += slopes.Length)
        {
            slopes.CopyTo(tile[start..]);
        }
    }
}
