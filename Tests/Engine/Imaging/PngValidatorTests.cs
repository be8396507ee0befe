using Engine.Imaging;

namespace Tests.Engine.Imaging;

public class PngValidatorTests
{
    [Fact]
    public void Crc32_MatchesTheCheckValueAndTheBitwiseReference()
    {
        Assert.Equal(0xCBF43926u, PngCrc32.Compute("123456789"u8));
        var random = new Random(5);
        for (int length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(HostileImages.Crc32(data), PngCrc32.Compute(data));
        }
    }

    public static TheoryData<int, int, byte, byte> Shapes()
    {
        var data = new TheoryData<int, int, byte, byte>();
        foreach ((byte depth, byte colour) in new (byte, byte)[] { (1, 0), (2, 0), (4, 3), (8, 0), (16, 0), (8, 2), (16, 6), (8, 4) })
        {
            foreach ((int w, int h) in new[] { (1, 1), (1, 9), (9, 1), (2, 3), (5, 5), (7, 13), (8, 8), (28, 28), (33, 17) })
            {
                data.Add(w, h, depth, colour);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RequiredDataBytes_MatchesAPixelByPixelCount(int width, int height, byte bitDepth, byte colorType)
    {
        int channels = colorType switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 };
        int bitsPerPixel = bitDepth * channels;

        long plain = PngValidator.RequiredDataBytes(PngHeader.Create(width, height, bitDepth, colorType, interlaced: false));
        long interlaced = PngValidator.RequiredDataBytes(PngHeader.Create(width, height, bitDepth, colorType, interlaced: true));

        Assert.Equal(height * (1 + (width * bitsPerPixel + 7) / 8), plain);
        Assert.Equal(ReferenceAdam7Bytes(width, height, bitsPerPixel), interlaced);
    }

    /// <summary>Assigns every pixel to its Adam7 pass via the 8 × 8 pattern and counts rows and columns per pass.</summary>
    private static long ReferenceAdam7Bytes(int width, int height, int bitsPerPixel)
    {
        int[,] pattern =
        {
            { 1, 6, 4, 6, 2, 6, 4, 6 },
            { 7, 7, 7, 7, 7, 7, 7, 7 },
            { 5, 6, 5, 6, 5, 6, 5, 6 },
            { 7, 7, 7, 7, 7, 7, 7, 7 },
            { 3, 6, 4, 6, 3, 6, 4, 6 },
            { 7, 7, 7, 7, 7, 7, 7, 7 },
            { 5, 6, 5, 6, 5, 6, 5, 6 },
            { 7, 7, 7, 7, 7, 7, 7, 7 },
        };
        long total = 0;
        for (int pass = 1; pass <= 7; pass++)
        {
            var rows = new HashSet<int>();
            var columns = new HashSet<int>();
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    if (pattern[y % 8, x % 8] == pass)
                    {
                        rows.Add(y);
                        columns.Add(x);
                    }
                }
            }

            if (rows.Count > 0)
            {
                total += rows.Count * (1 + ((long)columns.Count * bitsPerPixel + 7) / 8);
            }
        }

        return total;
    }
}
