using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Training.Data;

namespace Tests.Api;

/// <summary>
/// MNIST test digits dressed up as the images people really upload: the raw 28×28 digit, a photo of a
/// dark digit on unevenly lit paper, a small digit far off-centre on a wide canvas, and a canvas drawing
/// with a transparent background.
/// </summary>
public static class DigitImages
{
    /// <summary>The digit as MNIST stores it: 28×28, white ink on black, PNG.</summary>
    public static byte[] MnistPng(ReadOnlySpan<byte> digit)
    {
        using Image<L8> image = Image.LoadPixelData<L8>(digit, DigitDataset.Side, DigitDataset.Side);
        return Encode(image, new PngEncoder());
    }

    /// <summary>
    /// A 1000×1000 JPEG "photo": dark ink on paper whose brightness falls from left to right, with sensor
    /// noise, the digit about 700 px tall.
    /// </summary>
    public static byte[] PhotoJpeg(ReadOnlySpan<byte> digit, int seed)
    {
        using Image<L8> ink = Enlarged(digit, 700);
        using var photo = new Image<Rgb24>(1000, 1000);
        var random = new Random(seed);
        photo.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    double paper = 235 - 45.0 * x / row.Length;
                    double coverage = InkAt(ink, x - 150, y - 150) / 255.0;
                    byte level = (byte)Math.Clamp(paper * (1 - 0.8 * coverage) + random.Next(-8, 9), 0, 255);
                    row[x] = new Rgb24(level, level, (byte)Math.Clamp(level - 10, 0, 255));
                }
            }
        });
        return Encode(photo, new JpegEncoder { Quality = 85 });
    }

    /// <summary>A 900×300 white PNG with the digit, black and 140 px tall, near its right edge.</summary>
    public static byte[] OffCentrePng(ReadOnlySpan<byte> digit)
    {
        using Image<L8> ink = Enlarged(digit, 140);
        using var canvas = new Image<L8>(900, 300, new L8(255));
        canvas.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<L8> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    row[x] = new L8((byte)(255 - InkAt(ink, x - 700, y - 120)));
                }
            }
        });
        return Encode(canvas, new PngEncoder());
    }

    /// <summary>
    /// A 280×280 PNG as an HTML canvas exports a drawing: black strokes whose alpha is the ink, on a fully
    /// transparent background whose colour channels are zero (so it is black unless alpha is honoured).
    /// </summary>
    public static byte[] TransparentCanvasPng(ReadOnlySpan<byte> digit)
    {
        using Image<L8> ink = Enlarged(digit, 280);
        using var canvas = new Image<Rgba32>(280, 280, new Rgba32(0, 0, 0, 0));
        canvas.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgba32> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgba32(0, 0, 0, InkAt(ink, x, y));
                }
            }
        });
        return Encode(canvas, new PngEncoder());
    }

    // The 28×28 digit scaled to `side` pixels with a bicubic filter: smooth strokes, as if drawn large.
    private static Image<L8> Enlarged(ReadOnlySpan<byte> digit, int side)
    {
        Image<L8> image = Image.LoadPixelData<L8>(digit, DigitDataset.Side, DigitDataset.Side);
        image.Mutate(context => context.Resize(side, side, KnownResamplers.Bicubic));
        return image;
    }

    private static byte InkAt(Image<L8> ink, int x, int y) =>
        x >= 0 && y >= 0 && x < ink.Width && y < ink.Height ? ink[x, y].PackedValue : (byte)0;

    private static byte[] Encode(Image image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }
}
