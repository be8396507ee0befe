namespace Engine.Imaging;

/// <summary>
/// The size limits of <see cref="ImageLimits"/> applied to the dimensions a header declares, before any
/// pixel memory is allocated.
/// </summary>
internal readonly struct PixelBudget(long maxPixels, int maxSide)
{
    public long MaxPixels { get; } = maxPixels;

    public int MaxSide { get; } = maxSide;

    /// <summary>Throws unless <paramref name="width"/> × <paramref name="height"/> is a decodable size.</summary>
    /// <exception cref="ImageRejectedException">A side is zero or negative (corrupt), or a limit is exceeded.</exception>
    public void Enforce(long width, long height, string formatName)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.Corrupt,
                $"The {formatName} header declares a {width}×{height} image; both sides must be at least 1 pixel.");
        }

        long pixels = width * height;
        if (pixels > MaxPixels)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.TooManyPixels,
                $"The image declares {width}×{height} = {pixels:N0} pixels; the limit is {MaxPixels:N0} pixels.");
        }

        if (Math.Max(width, height) > MaxSide)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.SideTooLong,
                $"The image declares {width}×{height} pixels; neither side may exceed {MaxSide:N0} pixels.");
        }
    }
}
