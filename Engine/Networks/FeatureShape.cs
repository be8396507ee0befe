namespace Engine.Networks;

/// <summary>
/// The shape of one image's values between two layers, stored channels-last (NHWC): the value of channel
/// <c>c</c> at row <c>y</c>, column <c>x</c> is at <c>(y * Width + x) * Channels + c</c>. A fully
/// connected layer's output is 1×1×units.
/// </summary>
public readonly record struct FeatureShape(int Height, int Width, int Channels)
{
    /// <summary>Values per image.</summary>
    public int Size => Height * Width * Channels;

    /// <summary>Positions per channel.</summary>
    public int Area => Height * Width;

    /// <summary>A vector of <paramref name="units"/> values.</summary>
    public static FeatureShape Vector(int units) => new(1, 1, units);

    /// <inheritdoc />
    public override string ToString() => Height == 1 && Width == 1 ? $"{Channels}" : $"{Height}×{Width}×{Channels}";
}
