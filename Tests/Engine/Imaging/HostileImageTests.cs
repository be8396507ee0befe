using System.Diagnostics;
using Engine.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Tests.Engine.Imaging;

/// <summary>Uploads built to hang, exhaust or overload the decoder are refused or decoded cheaply.</summary>
public class HostileImageTests
{
    private static readonly DigitImagePreprocessor Preprocessor = new(new ImageLimits());

    [Fact]
    public async Task InterlacedPngWithTooLittleData_IsCorrupt_InsteadOfSpinning()
    {
        byte[] png = HostileImages.InterlacedHang();
        Assert.Equal(68, png.Length);

        // Run apart so that a regression fails the test instead of hanging the run.
        Task<ImageRejectedException> attempt = Task.Run(() => Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(png)));

        ImageRejectedException exception = await attempt.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ImageRejectionReason.Corrupt, exception.Reason);
        Assert.Contains("837", exception.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void PngOneByteShortOfItsHeader_IsCorrupt_AndExactLengthDecodes(byte interlace)
    {
        const int Width = 28, Height = 28;
        long needed = PngValidator.RequiredDataBytes(PngHeader.Create(Width, Height, 8, 0, interlace == 1));
        byte[] rows = new byte[needed];
        Array.Fill(rows, (byte)255);
        // Filter byte 0 at the start of each row; the exact positions do not matter for a flat page.
        byte[] shortRows = rows[..^1];

        var exception = Assert.Throws<ImageRejectedException>(() =>
            Preprocessor.Preprocess(HostileImages.RawPng(Width, Height, 8, 0, Unfiltered(shortRows, Width, Height, interlace), interlace)));
        Assert.Equal(ImageRejectionReason.Corrupt, exception.Reason);

        // The full length passes validation; a flat page then has no digit.
        Assert.Throws<DigitNotFoundException>(() =>
            Preprocessor.Preprocess(HostileImages.RawPng(Width, Height, 8, 0, Unfiltered(rows, Width, Height, interlace), interlace)));
    }

    [Fact]
    public void InterlacedPng_FromTheEncoder_DecodesLikeTheNonInterlacedOne()
    {
        float[] plain = Preprocessor.Preprocess(HostileImages.DigitPng());
        float[] interlaced = Preprocessor.Preprocess(HostileImages.DigitPng(PngInterlaceMode.Adam7));

        Assert.Equal(plain, interlaced);
    }

    [Fact]
    public void CompressedTextBomb_IsDecodedWithoutInflatingTheText()
    {
        byte[] bomb = HostileImages.CompressedTextBomb();
        float[] expected = Preprocessor.Preprocess(HostileImages.DigitPng());
        Preprocessor.Preprocess(bomb); // warm-up

        long before = GC.GetAllocatedBytesForCurrentThread();
        float[] result = Preprocessor.Preprocess(bomb);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(expected, result);
        Assert.True(allocated < HostileImages.BombTextBytes / 100, $"allocated {allocated:N0} bytes");
    }

    public static TheoryData<string> MetadataChunks => new() { "tEXt", "iTXt", "iCCP", "gAMA", "sRGB", "pHYs", "tIME", "zzZz" };

    [Theory]
    [MemberData(nameof(MetadataChunks))]
    public void AncillaryChunks_AreDropped_WithoutChangingThePixels(string type)
    {
        byte[] png = HostileImages.DigitPng();
        byte[] data = type switch
        {
            "iCCP" => [.. "profile\0\0"u8, .. HostileImages.Compress(new byte[5_000_000])],
            "iTXt" => [.. "Comment\0\x01\0\0\0"u8, .. HostileImages.Compress(new byte[5_000_000])],
            "gAMA" => [0, 0, 0xB1, 0x8F],
            _ => [1, 2, 3, 4, 5, 6, 7, 8, 9],
        };

        float[] result = Preprocessor.Preprocess(HostileImages.WithChunkAfterHeader(png, HostileImages.Chunk(type, data)));

        Assert.Equal(Preprocessor.Preprocess(png), result);
    }

    [Fact]
    public void ExifOrientation_SurvivesTheRebuild()
    {
        using Image<L8> upright = HostileImages.DigitImage();
        upright.Mutate(c => c.Crop(new Rectangle(0, 0, 48, 30)));
        using Image<L8> stored = upright.Clone(c => c.Rotate(RotateMode.Rotate270));
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6); // rotate 90° clockwise to view
        using var stream = new MemoryStream();
        stored.SaveAsPng(stream, new PngEncoder { ColorType = PngColorType.Grayscale });
        byte[] png = stream.ToArray();
        Assert.True(png.AsSpan().IndexOf("eXIf"u8) > 0, "the encoder wrote no eXIf chunk");
        byte[] withText = HostileImages.WithChunkAfterHeader(png, HostileImages.Chunk("tEXt", [.. "a\0b"u8]));
        using var uprightStream = new MemoryStream();
        upright.SaveAsPng(uprightStream);

        float[] result = Preprocessor.Preprocess(withText);

        Assert.True(TestDigits.Correlation(Preprocessor.Preprocess(uprightStream.ToArray()), result) > 0.99);
    }

    [Fact]
    public void BytesAfterIend_AreIgnored()
    {
        byte[] png = HostileImages.DigitPng();

        float[] result = Preprocessor.Preprocess([.. png, .. new byte[1000]]);

        Assert.Equal(Preprocessor.Preprocess(png), result);
    }

    public static TheoryData<string> BrokenStructures => new()
    {
        "bad-crc", "length-past-end", "ihdr-not-first", "two-ihdr", "bad-bit-depth", "bad-colour-type", "bad-interlace",
        "zero-width", "unknown-critical", "split-idat", "no-idat", "palette-without-plte", "bad-zlib", "truncated",
    };

    [Theory]
    [MemberData(nameof(BrokenStructures))]
    public void BrokenPngStructure_IsCorrupt(string kind)
    {
        byte[] png = HostileImages.DigitPng();
        byte[] signature = png[..8];
        byte[] ihdr = png[8..33];
        byte[] rest = png[33..];
        byte[] idat = HostileImages.Chunk("IDAT", HostileImages.Compress(new byte[29 * 28]));
        byte[] iend = HostileImages.Chunk("IEND", []);
        byte[] Ihdr(int w, int h, byte depth, byte colour, byte interlace) => HostileImages.Chunk("IHDR", HostileImages.Header(w, h, depth, colour, interlace));
        byte[] bytes = kind switch
        {
            "bad-crc" => [.. png[..^5], (byte)(png[^5] ^ 1), .. png[^4..]],
            "length-past-end" => [.. signature, 0, 0, 0, 200, .. png[12..]],
            "ihdr-not-first" => [.. signature, .. HostileImages.Chunk("tEXt", [65, 0, 66]), .. ihdr, .. rest],
            "two-ihdr" => [.. signature, .. ihdr, .. ihdr, .. rest],
            "bad-bit-depth" => [.. signature, .. Ihdr(28, 28, 3, 0, 0), .. idat, .. iend],
            "bad-colour-type" => [.. signature, .. Ihdr(28, 28, 8, 5, 0), .. idat, .. iend],
            "bad-interlace" => [.. signature, .. Ihdr(28, 28, 8, 0, 2), .. idat, .. iend],
            "zero-width" => [.. signature, .. Ihdr(0, 28, 8, 0, 0), .. idat, .. iend],
            "unknown-critical" => [.. signature, .. ihdr, .. HostileImages.Chunk("ABCD", [1]), .. rest],
            "split-idat" => [.. signature, .. Ihdr(28, 28, 8, 0, 0), .. idat, .. HostileImages.Chunk("tEXt", [65, 0, 66]), .. idat, .. iend],
            "no-idat" => [.. signature, .. Ihdr(28, 28, 8, 0, 0), .. iend],
            "palette-without-plte" => [.. signature, .. Ihdr(28, 28, 8, 3, 0), .. idat, .. iend],
            "bad-zlib" => [.. signature, .. Ihdr(28, 28, 8, 0, 0), .. HostileImages.Chunk("IDAT", [0x12, 0x34, 1, 2, 3, 4, 5, 6]), .. iend],
            _ => png[..(png.Length / 2)],
        };

        var exception = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(bytes));

        Assert.Equal(ImageRejectionReason.Corrupt, exception.Reason);
        Assert.StartsWith("The PNG image is corrupt", exception.Message);
    }

    [Fact]
    public void PngLongerThanMaxSide_IsRejectedBeforeDecoding()
    {
        var strict = new DigitImagePreprocessor(new ImageLimits { MaxSide = 100 });
        byte[] tall = HostileImages.RawPng(1, 101, 8, 0, new byte[101 * 2]);
        byte[] limit = HostileImages.RawPng(1, 100, 8, 0, new byte[100 * 2]);

        var exception = Assert.Throws<ImageRejectedException>(() => strict.Preprocess(tall));

        Assert.Equal(ImageRejectionReason.SideTooLong, exception.Reason);
        Assert.Contains("1×101", exception.Message);
        Assert.Throws<DigitNotFoundException>(() => strict.Preprocess(limit)); // decoded: a black strip, no digit
    }

    [Fact]
    public void BmpDeclaringHugeDimensions_IsTooManyPixels()
    {
        var exception = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(HostileImages.BmpDeclaring(100_000, -100_000)));

        Assert.Equal(ImageRejectionReason.TooManyPixels, exception.Reason);
        Assert.Contains("100000×100000", exception.Message);
    }

    [Fact]
    public void GifWhoseFirstFrameIsHuge_IsTooManyPixels_BeforeAnyAllocation()
    {
        byte[] gif = HostileImages.GifWithFrame(65_535, 65_535);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var exception = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(gif));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ImageRejectionReason.TooManyPixels, exception.Reason);
        Assert.Contains("65535×65535", exception.Message);
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void GifWithASmallFrame_Decodes()
    {
        // A 2 × 2 frame of colour 0 (black) on a 48 × 48 screen: decodes, and a speck is not refused as corrupt.
        byte[] gif = HostileImages.GifWithFrame(2, 2);

        Exception? exception = Record.Exception(() => Preprocessor.Preprocess(gif));

        Assert.True(exception is null or DigitNotFoundException, exception?.ToString());
    }

    [Fact]
    public void AnimatedWebp_IsUnsupported_WithAClearMessage()
    {
        var exception = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(HostileImages.AnimatedWebp()));

        Assert.Equal(ImageRejectionReason.UnsupportedFormat, exception.Reason);
        Assert.Contains("Animated WebP is not supported", exception.Message);
    }

    [Fact]
    public void DestinationOverload_WritesTheSameValues()
    {
        byte[] png = HostileImages.DigitPng();
        var destination = new float[DigitNormalizer.PixelCount + 3];
        destination.AsSpan().Fill(-1);

        Preprocessor.Preprocess(png, destination, CancellationToken.None);

        Assert.Equal(Preprocessor.Preprocess(png), destination[..DigitNormalizer.PixelCount]);
        Assert.Equal([-1f, -1f, -1f], destination[DigitNormalizer.PixelCount..]);
        Assert.Throws<ArgumentException>(() => Preprocessor.Preprocess(png, new float[DigitNormalizer.PixelCount - 1], CancellationToken.None));
    }

    [Fact]
    public void CancelledToken_ThrowsOperationCanceled_NotARejection()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var exception = Assert.ThrowsAny<OperationCanceledException>(() => Preprocessor.Preprocess(HostileImages.DigitPng(), cancelled.Token));

        Assert.Equal(cancelled.Token, exception.CancellationToken);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public void TokenCancelledDuringDecode_StopsTheWork(string format)
    {
        byte[] large = LargeNoisyImage(format);
        var generous = new DigitImagePreprocessor(new ImageLimits { DecodeTimeout = TimeSpan.FromMinutes(5) });
        var watch = Stopwatch.StartNew();
        generous.Preprocess(large);
        TimeSpan full = watch.Elapsed;

        using var caller = new CancellationTokenSource();
        // A dedicated thread rather than a timer: timer callbacks wait for a free thread-pool thread, which a
        // busy test run may not have for longer than the decode takes.
        var canceller = new Thread(() =>
        {
            Thread.Sleep(20);
            caller.Cancel();
        });
        watch.Restart();
        canceller.Start();
        var exception = Assert.ThrowsAny<OperationCanceledException>(() => generous.Preprocess(large, caller.Token));
        TimeSpan cancelled = watch.Elapsed;
        canceller.Join();

        Assert.Equal(caller.Token, exception.CancellationToken);
        Assert.True(cancelled < full / 2, $"cancelled after {cancelled.TotalMilliseconds:F0} ms; a full decode takes {full.TotalMilliseconds:F0} ms");
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public void DecodeOverBudget_IsRejectedAsTimeout(string format)
    {
        var hurried = new DigitImagePreprocessor(new ImageLimits { DecodeTimeout = TimeSpan.FromMilliseconds(1) });

        var exception = Assert.Throws<ImageRejectedException>(() => hurried.Preprocess(LargeNoisyImage(format)));

        Assert.Equal(ImageRejectionReason.DecodeTimeout, exception.Reason);
        Assert.IsAssignableFrom<OperationCanceledException>(exception.InnerException);
    }

    [Fact]
    public void InvalidNewLimits_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DigitImagePreprocessor(new ImageLimits { MaxSide = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DigitImagePreprocessor(new ImageLimits { DecodeTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DigitImagePreprocessor(new ImageLimits { DecodeTimeout = TimeSpan.FromDays(30) }));
    }

    private static readonly Lazy<byte[]> NoisyPng = new(() => EncodeNoise(new PngEncoder()));
    private static readonly Lazy<byte[]> NoisyJpeg = new(() => EncodeNoise(new JpegEncoder { Quality = 90 }));

    /// <summary>A 2048 × 2048 noisy grey page with a dark bar: a few hundred milliseconds of decoding.</summary>
    private static byte[] LargeNoisyImage(string format) => format == "png" ? NoisyPng.Value : NoisyJpeg.Value;

    private static byte[] EncodeNoise(SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        var random = new Random(11);
        using var image = new Image<L8>(2048, 2048);
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                Span<L8> row = accessor.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    bool ink = x is > 900 and < 1150 && y is > 300 and < 1750;
                    row[x] = new L8((byte)((ink ? 20 : 220) + random.Next(32)));
                }
            }
        });
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    /// <summary>Prefixes each row of <paramref name="samples"/> with filter byte 0 (none), pass by pass when interlaced.</summary>
    private static byte[] Unfiltered(byte[] samples, int width, int height, byte interlace)
    {
        // The byte count already includes one filter byte per row; zero them so every row is "filter: none".
        long needed = PngValidator.RequiredDataBytes(PngHeader.Create(width, height, 8, 0, interlace == 1));
        byte[] rows = (byte[])samples.Clone();
        if (interlace == 0)
        {
            for (long i = 0; i < rows.Length; i += width + 1)
            {
                rows[i] = 0;
            }
        }
        else
        {
            ZeroInterlacedFilterBytes(rows, width, height);
        }

        Assert.True(rows.Length <= needed);
        return rows;
    }

    private static void ZeroInterlacedFilterBytes(byte[] rows, int width, int height)
    {
        (int X, int Y, int Dx, int Dy)[] passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
        long offset = 0;
        foreach ((int x, int y, int dx, int dy) in passes)
        {
            int passWidth = width > x ? (width - x + dx - 1) / dx : 0;
            int passHeight = height > y ? (height - y + dy - 1) / dy : 0;
            if (passWidth == 0 || passHeight == 0)
            {
                continue;
            }

            for (int row = 0; row < passHeight && offset < rows.Length; row++)
            {
                rows[offset] = 0;
                offset += 1 + passWidth;
            }
        }
    }
}
