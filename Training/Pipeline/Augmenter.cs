namespace Training.Pipeline;

/// <summary>
/// Random distortions of a training image, drawn afresh every time it is seen: a shift, and optionally a
/// small rotation and scaling about the centre, resampled bilinearly with background (zero) outside.
/// </summary>
internal sealed class Augmenter(TrainingOptions options, int side)
{
    private readonly bool affine = options.MaxRotationDegrees > 0 || options.MaxScale > 0;

    /// <summary>Whether the images are changed at all.</summary>
    public bool IsActive => affine || options.MaxShift > 0;

    /// <summary>Writes a distorted copy of <paramref name="image"/> into <paramref name="destination"/>.</summary>
    public void Apply(ReadOnlySpan<float> image, Span<float> destination, Random random)
    {
        if (!affine)
        {
            Shift(image, destination, random.Next(-options.MaxShift, options.MaxShift + 1), random.Next(-options.MaxShift, options.MaxShift + 1));
            return;
        }

        float angle = (2 * random.NextSingle() - 1) * options.MaxRotationDegrees * MathF.PI / 180f;
        float scale = 1 + (2 * random.NextSingle() - 1) * options.MaxScale;
        float dx = (2 * random.NextSingle() - 1) * options.MaxShift;
        float dy = (2 * random.NextSingle() - 1) * options.MaxShift;

        // Each destination pixel looks up where it came from: the inverse rotation and scaling about the centre.
        float centre = (side - 1) / 2f;
        float cos = MathF.Cos(angle) / scale;
        float sin = MathF.Sin(angle) / scale;
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                float u = x - centre - dx;
                float v = y - centre - dy;
                float sourceX = cos * u + sin * v + centre;
                float sourceY = -sin * u + cos * v + centre;
                destination[y * side + x] = Sample(image, sourceX, sourceY);
            }
        }
    }

    private float Sample(ReadOnlySpan<float> image, float x, float y)
    {
        int x0 = (int)MathF.Floor(x);
        int y0 = (int)MathF.Floor(y);
        float fx = x - x0;
        float fy = y - y0;
        return (1 - fy) * ((1 - fx) * Pixel(image, x0, y0) + fx * Pixel(image, x0 + 1, y0))
             + fy * ((1 - fx) * Pixel(image, x0, y0 + 1) + fx * Pixel(image, x0 + 1, y0 + 1));
    }

    private float Pixel(ReadOnlySpan<float> image, int x, int y) =>
        (uint)x < (uint)side && (uint)y < (uint)side ? image[y * side + x] : 0f;

    // The image moved right by dx and down by dy, with zeros (background) shifted in.
    private void Shift(ReadOnlySpan<float> image, Span<float> destination, int dx, int dy)
    {
        destination[..(side * side)].Clear();
        int width = side - Math.Abs(dx);
        for (int y = Math.Max(0, dy); y < Math.Min(side, side + dy); y++)
        {
            image.Slice((y - dy) * side + Math.Max(0, -dx), width).CopyTo(destination.Slice(y * side + Math.Max(0, dx), width));
        }
    }
}
