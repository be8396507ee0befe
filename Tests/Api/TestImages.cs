using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Tests.Api;

/// <summary>Encoded images for API tests.</summary>
internal static class TestImages
{
    /// <summary>A dark, thick "1" on white: a digit the preprocessor finds.</summary>
    public static byte[] DigitPng(int width = 64, int height = 64)
    {
        using var image = new Image<L8>(width, height, new L8(255));
        for (int y = height / 6; y < height - height / 6; y++)
        {
            for (int x = width / 2 - width / 16; x < width / 2 + width / 16; x++)
            {
                image[x, y] = new L8(0);
            }
        }
        return Encode(image);
    }

    /// <summary>A white page: decodes, but shows no digit.</summary>
    public static byte[] BlankPng()
    {
        using var image = new Image<L8>(64, 64, new L8(255));
        return Encode(image);
    }

    /// <summary>A valid PNG signature followed by garbage: a recognised but corrupt image.</summary>
    public static byte[] CorruptPng()
    {
        var random = new Random(3);
        byte[] garbage = new byte[200];
        random.NextBytes(garbage);
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. garbage];
    }

    /// <summary>The first bytes of a little-endian TIFF: an image, but not an accepted format.</summary>
    public static byte[] TiffHeader() => [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    private static byte[] Encode(Image image)
    {
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder());
        return stream.ToArray();
    }
}
