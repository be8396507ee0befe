namespace Training.Onnx;

/// <summary>
/// One dimension of a graph input or output shape: either a fixed size or a symbolic name
/// (such as <c>"N"</c> for the batch) that lets callers choose the size at run time.
/// </summary>
/// <remarks>
/// <c>default(OnnxDimension)</c> is neither fixed nor symbolic and is written as an unknown
/// dimension, which ONNX permits but which tells a reader nothing; prefer a named symbol.
/// </remarks>
public readonly record struct OnnxDimension
{
    private OnnxDimension(long? size, string? symbol)
    {
        Size = size;
        Symbol = symbol;
    }

    /// <summary>The fixed size, or <see langword="null"/> for a symbolic dimension.</summary>
    public long? Size { get; }

    /// <summary>The symbolic name, or <see langword="null"/> for a fixed dimension.</summary>
    public string? Symbol { get; }

    /// <summary>Creates a dimension of fixed size.</summary>
    /// <param name="size">The size; zero or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    public static OnnxDimension Fixed(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return new OnnxDimension(size, null);
    }

    /// <summary>Creates a dimension whose size is named, not fixed (ONNX <c>dim_param</c>).</summary>
    /// <param name="symbol">The name; dimensions sharing a name must have equal sizes at run time.</param>
    /// <exception cref="ArgumentException"><paramref name="symbol"/> is null, empty or white space.</exception>
    public static OnnxDimension Symbolic(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return new OnnxDimension(null, symbol);
    }

    /// <summary>Converts a size to a fixed dimension, so shapes read as <c>(batch, 1, 28, 28)</c>.</summary>
    /// <param name="size">The size; zero or more.</param>
    public static implicit operator OnnxDimension(long size) => Fixed(size);

    /// <inheritdoc/>
    public override string ToString() => Symbol ?? Size?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}
