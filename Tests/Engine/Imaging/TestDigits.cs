using Engine.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.PixelFormats;

namespace Tests.Engine.Imaging;

/// <summary>Synthetic digits and measurements shared by the imaging tests.</summary>
internal static class TestDigits
{
    /// <summary>
    /// Ink coverage (0..1) of a "7": a top bar plus a diagonal stroke, drawn inside the box
    /// (left, top, boxWidth, boxHeight) with 4×4 supersampling. Asymmetric on purpose, so flips,
    /// transpositions and mirrored placement all change the result.
    /// </summary>
    public static float[] Seven(int width, int height, double left, double top, double boxWidth, double boxHeight, double stroke)
    {
        const int samples = 4;
        var ink = new float[width * height];
        double half = stroke / 2;
        // Diagonal from the top-right corner to 30 % along the bottom edge.
        double ax = left + boxWidth - half, ay = top + half;
        double bx = left + 0.3 * boxWidth, by = top + boxHeight - half;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int hits = 0;
                for (int sy = 0; sy < samples; sy++)
                {
                    for (int sx = 0; sx < samples; sx++)
                    {
                        double px = x + (sx + 0.5) / samples;
                        double py = y + (sy + 0.5) / samples;
                        bool bar = px >= left && px < left + boxWidth && py >= top && py < top + stroke;
                        if (bar || DistanceToSegment(px, py, ax, ay, bx, by) <= half)
                        {
                            hits++;
                        }
                    }
                }

                ink[y * width + x] = hits / (float)(samples * samples);
            }
        }

        return ink;
    }

    /// <summary>
    /// An MNIST-like 28 × 28 "7": 20 px tall, anti-aliased, with its centre of mass at (14, 14).
    /// </summary>
    public static float[] MnistLikeSeven()
    {
        const double width = 14, height = 20, stroke = 2.6;
        float[] draft = Seven(DigitNormalizer.Side, DigitNormalizer.Side, 0, 0, width, height, stroke);
        (double cx, double cy) = CentreOfMass(draft, DigitNormalizer.Side);
        // Align the box to whole pixels so its edges are crisp, as the 20-px box of MNIST is.
        double left = Math.Round(14 - cx), top = Math.Round(14 - cy);
        return Seven(DigitNormalizer.Side, DigitNormalizer.Side, left, top, width, height, stroke);
    }

    public static float[] Invert(float[] values) => values.Select(v => 1f - v).ToArray();

    public static float[] Normalize(float[] luminance, int width, int height)
    {
        var result = new float[DigitNormalizer.PixelCount];
        DigitNormalizer.Normalize(luminance, width, height, result);
        return result;
    }

    /// <summary>Centre of mass with pixel i covering [i, i + 1), the convention DigitNormalizer documents.</summary>
    public static (double X, double Y) CentreOfMass(ReadOnlySpan<float> image, int width)
    {
        double mass = 0, mx = 0, my = 0;
        for (int i = 0; i < image.Length; i++)
        {
            mass += image[i];
            mx += image[i] * (i % width + 0.5);
            my += image[i] * (i / width + 0.5);
        }

        return (mx / mass, my / mass);
    }

    /// <summary>Width and height of the box around all values above <paramref name="threshold"/>.</summary>
    public static (int Width, int Height) BoundingBox(ReadOnlySpan<float> image, int width, float threshold = 0.05f)
    {
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (int i = 0; i < image.Length; i++)
        {
            if (image[i] > threshold)
            {
                left = Math.Min(left, i % width);
                right = Math.Max(right, i % width);
                top = Math.Min(top, i / width);
                bottom = Math.Max(bottom, i / width);
            }
        }

        return right < 0 ? (0, 0) : (right - left + 1, bottom - top + 1);
    }

    public static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double meanA = 0, meanB = 0;
        for (int i = 0; i < a.Length; i++)
        {
            meanA += a[i];
            meanB += b[i];
        }

        meanA /= a.Length;
        meanB /= b.Length;
        double cov = 0, varA = 0, varB = 0;
        for (int i = 0; i < a.Length; i++)
        {
            cov += (a[i] - meanA) * (b[i] - meanB);
            varA += (a[i] - meanA) * (a[i] - meanA);
            varB += (b[i] - meanB) * (b[i] - meanB);
        }

        return cov / Math.Sqrt(varA * varB);
    }

    public static double MeanAbsoluteDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return sum / a.Length;
    }

    /// <summary>Black ink on a white opaque canvas, as a photo or scan of paper would be.</summary>
    public static Image<Rgba32> BlackOnWhite(float[] ink, int width, int height)
    {
        var image = new Image<Rgba32>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                byte level = (byte)Math.Round(255 * (1 - ink[y * width + x]));
                image[x, y] = new Rgba32(level, level, level, 255);
            }
        }

        return image;
    }

    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    private static double DistanceToSegment(double px, double py, double ax, double ay, double bx, double by)
    {
        double dx = bx - ax, dy = by - ay;
        double t = Math.Clamp(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy), 0, 1);
        double ex = px - (ax + t * dx), ey = py - (ay + t * dy);
        return Math.Sqrt(ex * ex + ey * ey);
    }
}
