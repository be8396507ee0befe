using System.Buffers.Binary;
using System.Text;
using Engine.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace Tests.Engine.Imaging;

public class DigitImagePreprocessorTests
{
    private const int Side = DigitNormalizer.Side;
    private const int Width = 64, Height = 72;

    private static readonly DigitImagePreprocessor Preprocessor = new(new ImageLimits());

    private static readonly float[] Ink = TestDigits.Seven(Width, Height, 14, 10, 30, 50, 6);

    // What the pure normaliser makes of the exact luminance; every decoded format should land close to it.
    private static readonly float[] Expected = TestDigits.Normalize(TestDigits.Invert(Ink), Width, Height);

    public static TheoryData<string, double, double> Formats => new()
    {
        // format, minimum correlation, maximum mean absolute difference
        { "png", 0.995, 0.01 },
        { "bmp", 0.995, 0.01 },
        { "gif", 0.99, 0.02 },
        { "webp-lossless", 0.995, 0.01 },
        { "webp-lossy", 0.95, 0.05 },
        { "jpeg", 0.95, 0.05 },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void EachAcceptedFormat_RoundTrips(string format, double minCorrelation, double maxMeanDifference)
    {
        using Image<Rgba32> image = TestDigits.BlackOnWhite(Ink, Width, Height);
        byte[] encoded = TestDigits.Encode(image, EncoderFor(format));

        float[] result = Preprocessor.Preprocess(encoded);

        Assert.Equal(DigitNormalizer.PixelCount, result.Length);
        Assert.True(TestDigits.Correlation(Expected, result) > minCorrelation, $"correlation {TestDigits.Correlation(Expected, result)}");
        Assert.True(TestDigits.MeanAbsoluteDifference(Expected, result) < maxMeanDifference);
    }

    [Fact]
    public void TransparentCanvasWithBlackStrokes_IsReadAsBlackOnWhite()
    {
        // A drawing-app export: fully transparent black background, strokes opaque black via alpha only.
        using var image = new Image<Rgba32>(Width, Height);
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                image[x, y] = new Rgba32(0, 0, 0, (byte)Math.Round(255 * Ink[y * Width + x]));
            }
        }

        float[] result = Preprocessor.Preprocess(TestDigits.Encode(image, new PngEncoder()));

        Assert.True(TestDigits.Correlation(Expected, result) > 0.995);
        Assert.True(TestDigits.MeanAbsoluteDifference(Expected, result) < 0.01);
    }

    [Fact]
    public void LargePhotoSizedImage_HasTheSameShapeAsTheSmallOne()
    {
        // 1000×1000 page, the 7 scaled up 15× (40-px stroke), placed off-centre; and the same 7 drawn small.
        const int large = 1000, scale = 15;
        float[] ink = TestDigits.Seven(large, large, 300, 150, 30 * scale, 50 * scale, 40);
        using Image<Rgba32> image = TestDigits.BlackOnWhite(ink, large, large);
        float[] smallInk = TestDigits.Seven(Width, Height, 14, 10, 30, 50, 40.0 / scale);
        using Image<Rgba32> smallImage = TestDigits.BlackOnWhite(smallInk, Width, Height);
        float[] small = Preprocessor.Preprocess(TestDigits.Encode(smallImage, new PngEncoder()));

        float[] result = Preprocessor.Preprocess(TestDigits.Encode(image, new PngEncoder()));

        Assert.True(TestDigits.Correlation(small, result) > 0.9, $"correlation {TestDigits.Correlation(small, result)}");
        (double x, double y) = TestDigits.CentreOfMass(result, Side);
        Assert.InRange(x, 13.5, 14.5);
        Assert.InRange(y, 13.5, 14.5);
        Assert.InRange(TestDigits.BoundingBox(result, Side).Height, 19, 21);
    }

    [Fact]
    public void ThinStrokeOnLargeImage_SurvivesTheDownscale()
    {
        // A 3-px pen line on a 1200×900 photo is about 0.6 px after the first reduction: grey, not gone.
        // The reference is the pure normaliser applied to the full-resolution luminance.
        float[] ink = TestDigits.Seven(1200, 900, 500, 200, 150, 250, 3);
        float[] direct = TestDigits.Normalize(TestDigits.Invert(ink), 1200, 900);
        using Image<Rgba32> image = TestDigits.BlackOnWhite(ink, 1200, 900);

        float[] result = Preprocessor.Preprocess(TestDigits.Encode(image, new PngEncoder()));

        Assert.True(TestDigits.Correlation(direct, result) > 0.9, $"correlation {TestDigits.Correlation(direct, result)}");
        Assert.InRange(TestDigits.BoundingBox(result, Side).Height, 19, 21);
    }

    [Fact]
    public void TinyImage_IsEnlargedToTheBox()
    {
        float[] ink = TestDigits.Seven(6, 8, 0, 0, 6, 8, 1.5);
        using Image<Rgba32> image = TestDigits.BlackOnWhite(ink, 6, 8);

        float[] result = Preprocessor.Preprocess(TestDigits.Encode(image, new PngEncoder()));

        Assert.InRange(TestDigits.BoundingBox(result, Side).Height, 19, 21);
        (double x, double y) = TestDigits.CentreOfMass(result, Side);
        Assert.InRange(x, 13.5, 14.5);
        Assert.InRange(y, 13.5, 14.5);
    }

    [Fact]
    public void AnimatedGif_UsesTheFirstFrame()
    {
        using Image<Rgba32> image = TestDigits.BlackOnWhite(Ink, Width, Height);
        // Second frame: the 7 mirrored left-right, a clearly different digit shape.
        float[] mirrored = new float[Ink.Length];
        for (int i = 0; i < Ink.Length; i++)
        {
            mirrored[i] = Ink[i / Width * Width + (Width - 1 - i % Width)];
        }

        using Image<Rgba32> second = TestDigits.BlackOnWhite(mirrored, Width, Height);
        image.Frames.AddFrame(second.Frames.RootFrame);
        Assert.Equal(2, image.Frames.Count);

        float[] result = Preprocessor.Preprocess(TestDigits.Encode(image, new GifEncoder()));

        Assert.True(TestDigits.Correlation(Expected, result) > 0.99);
    }

    [Fact]
    public void BlankWhiteImage_ThrowsDigitNotFound()
    {
        using var image = new Image<Rgba32>(50, 50, new Rgba32(255, 255, 255, 255));

        Assert.Throws<DigitNotFoundException>(() => Preprocessor.Preprocess(TestDigits.Encode(image, new JpegEncoder())));
    }

    [Fact]
    public void FullyTransparentImage_ThrowsDigitNotFound()
    {
        using var image = new Image<Rgba32>(50, 50, new Rgba32(0, 0, 0, 0));

        Assert.Throws<DigitNotFoundException>(() => Preprocessor.Preprocess(TestDigits.Encode(image, new PngEncoder())));
    }

    [Fact]
    public void EmptyUpload_IsRejectedAsEmpty()
    {
        var exception = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess([]));

        Assert.Equal(ImageRejectionReason.Empty, exception.Reason);
    }

    public static TheoryData<string> NotImages => new() { "random", "text", "tiff" };

    [Theory]
    [MemberData(nameof(NotImages))]
    public void NonImageOrTiff_IsRejectedAsUnsupported(string kind)
    {
        byte[] bytes = kind switch
        {
            "random" => RandomBytes(4096, seed: 7),
            "text" => Encoding.UTF8.GetBytes("This is not an image, it is a sentence about the digit seven."),
            _ => EncodedTiff(),
        };

        var exception = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(bytes));

        Assert.Equal(ImageRejectionReason.UnsupportedFormat, exception.Reason);
        Assert.Contains("PNG, JPEG, BMP, GIF, WebP", exception.Message);
    }

    [Fact]
    public void PngDeclaringHugeDimensions_IsRejectedBeforeDecoding()
    {
        byte[] png = PngWithDeclaredSize(100_000, 100_000);
        Preprocessor.Preprocess(PngWithDeclaredSize(Width, Height)); // warm-up: JIT and static setup are not the image

        long before = GC.GetAllocatedBytesForCurrentThread();
        var exception = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(png));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ImageRejectionReason.TooManyPixels, exception.Reason);
        Assert.Contains("100000×100000", exception.Message);
        Assert.Contains("16,777,216", exception.Message);
        Assert.True(allocated < 10 * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void PixelLimit_ComesFromTheLimits()
    {
        var strict = new DigitImagePreprocessor(new ImageLimits { MaxPixels = Width * Height - 1 });
        byte[] png = PngWithDeclaredSize(Width, Height);

        var exception = Assert.Throws<ImageRejectedException>(() => strict.Preprocess(png));

        Assert.Equal(ImageRejectionReason.TooManyPixels, exception.Reason);
        Assert.NotNull(new DigitImagePreprocessor(new ImageLimits { MaxPixels = Width * Height }).Preprocess(png));
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    [InlineData("gif")]
    [InlineData("bmp")]
    [InlineData("webp-lossy")]
    public void TruncatedFile_IsRejectedAsCorruptOrDecoded(string format)
    {
        using Image<Rgba32> image = TestDigits.BlackOnWhite(Ink, Width, Height);
        byte[] encoded = TestDigits.Encode(image, EncoderFor(format));

        foreach (int length in new[] { encoded.Length / 2, 40, 20 })
        {
            try
            {
                float[] result = Preprocessor.Preprocess(encoded.AsSpan(0, length));
                Assert.Equal(DigitNormalizer.PixelCount, result.Length);
            }
            catch (ImageRejectedException exception)
            {
                Assert.Contains(exception.Reason, new[] { ImageRejectionReason.Corrupt, ImageRejectionReason.UnsupportedFormat });
            }
            catch (DigitNotFoundException)
            {
                // Acceptable: the decoder filled the missing part with background.
            }
        }
    }

    [Fact]
    public void PngSignatureFollowedByGarbage_IsRejectedAsCorrupt()
    {
        byte[] bytes = [.. new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, .. RandomBytes(200, seed: 3)];

        var exception = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(bytes));

        Assert.Equal(ImageRejectionReason.Corrupt, exception.Reason);
    }

    [Fact]
    public void ConcurrentCalls_GiveIdenticalResults()
    {
        using Image<Rgba32> image = TestDigits.BlackOnWhite(Ink, Width, Height);
        byte[] png = TestDigits.Encode(image, new PngEncoder());
        float[] reference = Preprocessor.Preprocess(png);

        var results = new float[32][];
        Parallel.For(0, results.Length, i => results[i] = Preprocessor.Preprocess(png));

        Assert.All(results, r => Assert.Equal(reference, r));
    }

    [Fact]
    public void AcceptedMediaTypes_ListsTheFiveFormats()
    {
        Assert.Equal(
            ["image/png", "image/jpeg", "image/bmp", "image/gif", "image/webp"],
            DigitImagePreprocessor.AcceptedMediaTypes);
    }

    [Fact]
    public void InvalidLimits_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DigitImagePreprocessor(new ImageLimits { MaxPixels = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DigitImagePreprocessor(new ImageLimits { AllocationLimitMegabytes = 0 }));
        Assert.Throws<ArgumentNullException>(() => new DigitImagePreprocessor(null!));
    }

    private static IImageEncoder EncoderFor(string format) => format switch
    {
        "png" => new PngEncoder(),
        "bmp" => new BmpEncoder(),
        "gif" => new GifEncoder(),
        "webp-lossless" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
        "webp-lossy" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 75 },
        "jpeg" => new JpegEncoder { Quality = 75 },
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] EncodedTiff()
    {
        using Image<Rgba32> image = TestDigits.BlackOnWhite(Ink, Width, Height);
        byte[] tiff = TestDigits.Encode(image, new TiffEncoder());
        Assert.Equal("II*\0"u8.ToArray(), tiff[..4]); // really a TIFF, so the rejection is about the format
        return tiff;
    }

    /// <summary>A valid PNG of the test digit whose IHDR is patched to declare the given size (with a valid CRC).</summary>
    private static byte[] PngWithDeclaredSize(int width, int height)
    {
        using Image<Rgba32> image = TestDigits.BlackOnWhite(Ink, Width, Height);
        byte[] png = TestDigits.Encode(image, new PngEncoder());
        // Signature (8) + IHDR length (4) + "IHDR" (4), then width and height, big-endian.
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        // The CRC covers the chunk type and its 13 data bytes.
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
