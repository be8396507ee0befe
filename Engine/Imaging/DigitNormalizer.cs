using System.Buffers;
using System.Numerics.Tensors;

namespace Engine.Imaging;

/// <summary>
/// Turns a luminance image of any size into a 28 × 28 MNIST-style digit, following the recipe MNIST itself
/// was made with: ink isolated from the background, its bounding box scaled (aspect kept) so the longer
/// side is 20 px, then placed so its centre of mass lands at the centre of the 28 × 28 field.
/// </summary>
/// <remarks>
/// Pure and deterministic: the same function normalises the training set and every uploaded image, so the
/// model never sees a train/serve difference. Thread-safe (no shared state); scratch memory comes from
/// <see cref="ArrayPool{T}.Shared"/>.
/// </remarks>
public static class DigitNormalizer
{
    /// <summary>Width and height of the normalised output, in pixels.</summary>
    public const int Side = 28;

    /// <summary>Length of the longer side of the digit's bounding box after scaling, in pixels.</summary>
    public const int DigitBox = 20;

    /// <summary>Number of values written by <see cref="Normalize"/>: <see cref="Side"/> squared.</summary>
    public const int PixelCount = Side * Side;

    /// <summary>
    /// Smallest ink contrast (on the 0..1 luminance scale) accepted as a digit rather than a blank page.
    /// </summary>
    /// <remarks>
    /// About 20 grey levels out of 255. A flat white or black JPEG at ordinary quality drifts by a few levels
    /// and camera sensor noise on paper by up to ~10, so anything below this would be noise stretched into a
    /// fake digit; even a light pencil stroke on paper differs from the page by several times more.
    /// </remarks>
    public const float MinimumContrast = 0.08f;

    /// <summary>
    /// After contrast stretching (peak ink = 1), ink below this fraction is treated as background (set to 0)
    /// and ignored when finding the bounding box.
    /// </summary>
    /// <remarks>
    /// JPEG ringing around a sharp stroke and uneven lighting or paper texture in photos reach roughly
    /// 5–12 % of the stroke contrast; a threshold of 15 % removes them so that a speck of noise near the
    /// border cannot stretch the bounding box, while genuine strokes (and most of their anti-aliased edge)
    /// remain well above it.
    /// </remarks>
    public const float InkThreshold = 0.15f;

    /// <summary>
    /// Normalises a row-major luminance image (0 = black, 1 = white) of any size into a 28 × 28 digit,
    /// white ink (high values) on black, values in [0, 1].
    /// </summary>
    /// <param name="luminance">Row-major luminance, <paramref name="width"/> × <paramref name="height"/> values in [0, 1].</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="destination">Receives the <see cref="PixelCount"/> (784) output values, row-major.</param>
    /// <remarks>
    /// <para>Steps: the background level is the median of the 1-pixel border; if it is light (&gt; 0.5) ink is
    /// darker than it (ink = background − luminance), otherwise lighter (ink = luminance − background),
    /// clamped at 0. Ink is stretched so its maximum is 1, values below <see cref="InkThreshold"/> are zeroed,
    /// and the bounding box of the rest is resized (area averaging when shrinking, bilinear when enlarging)
    /// so its longer side is <see cref="DigitBox"/> pixels with the aspect ratio kept (each side rounded to
    /// whole pixels, at least 1).</para>
    /// <para>Placement: coordinates treat pixel <c>i</c> as the interval [i, i + 1), so the centre of the
    /// field is 14.0. The digit is translated by whole pixels (rounded) so its centre of mass is within half
    /// a pixel of (14, 14); anything pushed past the edges is clipped, as in MNIST.</para>
    /// <para>Values are not re-stretched after resizing, so a thin stroke shrunk a lot stays grey, exactly as
    /// the anti-aliasing in MNIST itself behaves.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="luminance"/> does not hold exactly width × height values, or
    /// <paramref name="destination"/> does not hold exactly <see cref="PixelCount"/> values.
    /// </exception>
    /// <exception cref="DigitNotFoundException">The ink contrast is below <see cref="MinimumContrast"/> (a blank image).</exception>
    public static void Normalize(ReadOnlySpan<float> luminance, int width, int height, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height != luminance.Length)
        {
            throw new ArgumentException(
                $"Expected {(long)width * height} luminance values for {width}×{height}, got {luminance.Length}.",
                nameof(luminance));
        }

        if (destination.Length != PixelCount)
        {
            throw new ArgumentException($"Destination must hold exactly {PixelCount} values.", nameof(destination));
        }

        float[] rented = ArrayPool<float>.Shared.Rent(luminance.Length);
        try
        {
            Span<float> ink = rented.AsSpan(0, luminance.Length);
            ExtractInk(luminance, width, height, ink);

            float peak = TensorPrimitives.Max(ink);
            // Written as a negated comparison so that NaN input also counts as "no ink".
            if (!(peak >= MinimumContrast))
            {
                throw new DigitNotFoundException();
            }

            TensorPrimitives.Multiply(ink, 1f / peak, ink);

            // Peak ink is 1 >= InkThreshold, so at least one pixel survives and the box is never empty.
            (int left, int top, int right, int bottom) = ThresholdAndFindBox(ink, width, height);
            int boxWidth = right - left + 1;
            int boxHeight = bottom - top + 1;

            int longer = Math.Max(boxWidth, boxHeight);
            int scaledWidth = Math.Max(1, (int)Math.Round((double)boxWidth * DigitBox / longer));
            int scaledHeight = Math.Max(1, (int)Math.Round((double)boxHeight * DigitBox / longer));

            Span<float> digit = stackalloc float[DigitBox * DigitBox];
            digit = digit[..(scaledWidth * scaledHeight)];
            SeparableResampler.Resample(ink, width, left, top, boxWidth, boxHeight, digit, scaledWidth, scaledHeight);

            PlaceByCentreOfMass(digit, scaledWidth, scaledHeight, destination);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Normalises a 28 × 28 MNIST (IDX) image given as bytes, 0 = background ... 255 = ink, by applying
    /// <see cref="Normalize"/> to <c>value / 255</c>.
    /// </summary>
    /// <param name="pixels28x28">The <see cref="PixelCount"/> (784) row-major pixel bytes.</param>
    /// <param name="destination">Receives the <see cref="PixelCount"/> output values.</param>
    /// <remarks>
    /// MNIST is white-on-black, so its border is dark and its bytes are already ink; since MNIST was made by
    /// this recipe the result is close to <c>value / 255</c>, with small differences from re-thresholding
    /// faint edge pixels and re-centring.
    /// </remarks>
    /// <exception cref="ArgumentException">Either span does not hold exactly <see cref="PixelCount"/> values.</exception>
    /// <exception cref="DigitNotFoundException">The image is blank.</exception>
    public static void NormalizeMnist(ReadOnlySpan<byte> pixels28x28, Span<float> destination)
    {
        if (pixels28x28.Length != PixelCount)
        {
            throw new ArgumentException($"An MNIST image has exactly {PixelCount} bytes.", nameof(pixels28x28));
        }

        Span<float> luminance = stackalloc float[PixelCount];
        for (int i = 0; i < PixelCount; i++)
        {
            luminance[i] = pixels28x28[i] / 255f;
        }

        Normalize(luminance, Side, Side, destination);
    }

    private static void ExtractInk(ReadOnlySpan<float> luminance, int width, int height, Span<float> ink)
    {
        float background = EstimateBackground(luminance, width, height);
        if (background > 0.5f)
        {
            TensorPrimitives.Subtract(background, luminance, ink);
        }
        else
        {
            TensorPrimitives.Subtract(luminance, background, ink);
        }

        TensorPrimitives.Max(ink, 0f, ink);
    }

    /// <summary>Median of the 1-pixel frame; a median ignores strokes that touch the border.</summary>
    internal static float EstimateBackground(ReadOnlySpan<float> luminance, int width, int height)
    {
        // With one row or column every pixel is on the frame.
        int frameLength = width == 1 || height == 1 ? width * height : 2 * (width + height) - 4;
        float[] rented = ArrayPool<float>.Shared.Rent(frameLength);
        try
        {
            Span<float> frame = rented.AsSpan(0, frameLength);
            if (width == 1 || height == 1)
            {
                luminance.CopyTo(frame);
            }
            else
            {
                int n = 0;
                luminance[..width].CopyTo(frame);
                n += width;
                luminance.Slice((height - 1) * width, width).CopyTo(frame[n..]);
                n += width;
                for (int y = 1; y < height - 1; y++)
                {
                    frame[n++] = luminance[y * width];
                    frame[n++] = luminance[y * width + width - 1];
                }
            }

            frame.Sort();
            return frameLength % 2 == 1
                ? frame[frameLength / 2]
                : 0.5f * (frame[frameLength / 2 - 1] + frame[frameLength / 2]);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private static (int Left, int Top, int Right, int Bottom) ThresholdAndFindBox(Span<float> ink, int width, int height)
    {
        int left = width, top = height, right = -1, bottom = -1;
        for (int y = 0; y < height; y++)
        {
            Span<float> row = ink.Slice(y * width, width);
            for (int x = 0; x < width; x++)
            {
                if (row[x] < InkThreshold)
                {
                    row[x] = 0f;
                    continue;
                }

                if (x < left) left = x;
                if (x > right) right = x;
                if (y < top) top = y;
                bottom = y;
            }
        }

        return (left, top, right, bottom);
    }

    private static void PlaceByCentreOfMass(ReadOnlySpan<float> digit, int digitWidth, int digitHeight, Span<float> destination)
    {
        double mass = 0, momentX = 0, momentY = 0;
        for (int y = 0; y < digitHeight; y++)
        {
            for (int x = 0; x < digitWidth; x++)
            {
                float value = digit[y * digitWidth + x];
                mass += value;
                momentX += value * (x + 0.5);
                momentY += value * (y + 0.5);
            }
        }

        if (!(mass > 0))
        {
            throw new DigitNotFoundException();
        }

        const double centre = Side / 2.0;
        int offsetX = (int)Math.Round(centre - momentX / mass, MidpointRounding.AwayFromZero);
        int offsetY = (int)Math.Round(centre - momentY / mass, MidpointRounding.AwayFromZero);

        destination.Clear();
        int firstX = Math.Max(0, -offsetX);
        int lastX = Math.Min(digitWidth, Side - offsetX);
        if (firstX >= lastX)
        {
            return;
        }

        for (int y = 0; y < digitHeight; y++)
        {
            int targetY = y + offsetY;
            if ((uint)targetY >= Side)
            {
                continue;
            }

            digit.Slice(y * digitWidth + firstX, lastX - firstX)
                .CopyTo(destination.Slice(targetY * Side + firstX + offsetX));
        }
    }
}
