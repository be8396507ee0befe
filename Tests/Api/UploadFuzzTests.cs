using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using Tests.Engine.Imaging;
using Xunit.Abstractions;
using static Tests.Api.ClassifyApiTests;

namespace Tests.Api;

/// <summary>
/// Deterministic mutations of valid digit images of every accepted format, sent through the real HTTP
/// pipeline: none may answer 5xx or take over 2 seconds. <c>FUZZ_INPUTS</c> sets the number of inputs
/// (default 20,000); <c>scripts/fuzz-uploads.sh</c> runs a longer campaign.
/// </summary>
[Collection(UploadSafetyCollection.Name)]
[Trait("Tier", "Slow")]
public sealed class UploadFuzzTests(ApiApplication app, ITestOutputHelper output) : IClassFixture<ApiApplication>
{
    private const int DefaultInputs = 20_000;
    private const int Workers = 2;
    private static readonly TimeSpan SlowestAllowed = TimeSpan.FromSeconds(2);

    // 48 × 48 digits encoded by libjpeg-turbo's cjpeg -progressive (ImageSharp 2.1 writes baseline JPEG only):
    // greyscale, and colour with 4:2:0 subsampling.
    private const string ProgressiveGreyJpeg = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/wgALCAAwADABAREA/8QAFwABAQEBAAAAAAAAAAAAAAAAAAcIBv/aAAgBAQAAAAHTgHHZAvV2EJXYQldhCV2Af//EABsQAAIDAAMAAAAAAAAAAAAAAAc2BQYgAwQw/9oACAEBAAEFAt2+H5p+u2WhSFW6IdWcGJZDqzgxLIdWcGJZDqz4f//EACIQAAEDBQABBQAAAAAAAAAAAAIBAwQAESB0shIhMEFRwf/aAAgBAQAGPwLOXAjkAPO+NlcWw+hIv5QSpT0Zxs3EaRGSJVvZV+UT6qTtlwGMbbHg6k7ZcBjG2x4OpO2XAYxtseDqTtlwHs//xAAcEAABAwUAAAAAAAAAAAAAAAABABEhIDFAQWH/2gAIAQEAAT8hrlwz4Du5AJsWk6eCCHAp5nz58+fPnz//2gAIAQEAAAAQAEMMMA//xAAaEAEAAwADAAAAAAAAAAAAAAABESExIEBB/9oACAEBAAE/EOfgGj0YOkRCtMLATUGZ5QVLJmUrU7YsWLFixYv/2Q==";
    private const string ProgressiveColourJpeg = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wgARCAAwADADASIAAhEBAxEB/8QAFwABAQEBAAAAAAAAAAAAAAAAAAcGCP/EABYBAQEBAAAAAAAAAAAAAAAAAAACA//aAAwDAQACEAMQAAAB6dMdrOxcH3suoAIUC6gAhS6gD//EABsQAAIDAAMAAAAAAAAAAAAAAAc2BQYgAwQw/9oACAEBAAEFAt2+H5p+u2WhSFW6IdWcGJZDqzgxLIdWcGJZDqz4f//EABQRAQAAAAAAAAAAAAAAAAAAADD/2gAIAQMBAT8BH//EABQRAQAAAAAAAAAAAAAAAAAAADD/2gAIAQIBAT8BH//EACIQAAEDBQABBQAAAAAAAAAAAAIBAwQAESB0shIhMEFRwf/aAAgBAQAGPwLOXAjkAPO+NlcWw+hIv5QSpT0Zxs3EaRGSJVvZV+UT6qTtlwGMbbHg6k7ZcBjG2x4OpO2XAYxtseDqTtlwHs//xAAcEAABAwUAAAAAAAAAAAAAAAABABEhIDFAQWH/2gAIAQEAAT8hrlwz4Du5AJsWk6eCCHAp5nz58+fPnz//2gAMAwEAAgADAAAAEP8Av/8AD/8Az/8A/8QAFBEBAAAAAAAAAAAAAAAAAAAAMP/aAAgBAwEBPxAf/8QAFBEBAAAAAAAAAAAAAAAAAAAAMP/aAAgBAgEBPxAf/8QAGhABAAMAAwAAAAAAAAAAAAAAAREhMSBAQf/aAAgBAQABPxDn4Bo9GDpEQrTCwE1BmeUFSyZlK1O2LFixYsWL/9k=";

    [Fact]
    public async Task MutatedUploads_NeverAnswer5xx_NorTakeOverTwoSeconds()
    {
        int inputs = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_INPUTS"), out int configured) && configured > 0
            ? configured
            : DefaultInputs;
        IReadOnlyList<Seed> corpus = Corpus();
        HttpClient client = await app.CreateLoadedClientAsync();
        foreach (Seed seed in corpus)
        {
            using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(seed.Bytes, seed.MediaType));
            Assert.True(response.IsSuccessStatusCode, $"the unmutated {seed.Name} answered {(int)response.StatusCode}");
        }

        var byStatus = new ConcurrentDictionary<int, int>();
        var byClass = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        long slowestTicks = 0;
        string slowest = "";
        byte[] slowestInput = [];
        var slowestLock = new Lock();
        using var process = Process.GetCurrentProcess();
        long rssBefore = process.WorkingSet64;
        var total = Stopwatch.StartNew();

        await Parallel.ForEachAsync(Enumerable.Range(0, inputs), new ParallelOptions { MaxDegreeOfParallelism = Workers }, async (index, cancellationToken) =>
        {
            Seed seed = corpus[index % corpus.Count];
            var random = new Random(index);
            (byte[] input, string mutation) = Mutate(seed, random);
            long started = Stopwatch.GetTimestamp();
            using HttpResponseMessage response = await client.PostAsync("/v1/classify", Raw(input, seed.MediaType), cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            long ticks = Stopwatch.GetTimestamp() - started;

            int status = (int)response.StatusCode;
            byStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
            byClass.AddOrUpdate($"{status / 100}xx", 1, (_, n) => n + 1);
            string label = $"input {index} ({seed.Name}, {mutation}, {input.Length} bytes)";
            if (status >= 500)
            {
                failures.Enqueue($"{label}: {status} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            lock (slowestLock)
            {
                if (ticks > slowestTicks)
                {
                    slowestTicks = ticks;
                    slowest = label;
                    slowestInput = input;
                }
            }
        });

        process.Refresh();
        TimeSpan slowestTime = Stopwatch.GetElapsedTime(0, slowestTicks);
        output.WriteLine($"{inputs:N0} inputs from {corpus.Count} seeds in {total.Elapsed.TotalSeconds:F1} s with {Workers} workers");
        output.WriteLine("By status class: " + string.Join(", ", byClass.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value:N0}")));
        output.WriteLine("By status: " + string.Join(", ", byStatus.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value:N0}")));
        output.WriteLine($"Slowest answer: {slowestTime.TotalMilliseconds:F1} ms, {slowest}");
        if (slowestInput.Length <= 4096)
        {
            output.WriteLine($"Slowest input (base64): {Convert.ToBase64String(slowestInput)}");
        }

        output.WriteLine($"Working set: {rssBefore / 1048576.0:F0} MB before, {process.WorkingSet64 / 1048576.0:F0} MB after, peak {process.PeakWorkingSet64 / 1048576.0:F0} MB");
        foreach (string failure in failures.Take(20))
        {
            output.WriteLine(failure);
        }

        Assert.Equal(inputs, byStatus.Values.Sum());
        Assert.Empty(failures);
        Assert.True(slowestTime < SlowestAllowed, $"slowest answer {slowestTime.TotalMilliseconds:F0} ms: {slowest}");
    }

    /// <summary>A valid upload to mutate.</summary>
    private sealed record Seed(string Name, byte[] Bytes, string MediaType);

    private static List<Seed> Corpus()
    {
        using Image<Rgba32> colour = Digit<Rgba32>();
        using Image<L8> grey = Digit<L8>();
        using Image<Rgba32> oriented = Digit<Rgba32>();
        oriented.Metadata.ExifProfile = new ExifProfile();
        oriented.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        return
        [
            new("png-rgba", Encode(colour, new PngEncoder { ColorType = PngColorType.RgbWithAlpha }), "image/png"),
            new("png-grey", Encode(grey, new PngEncoder { ColorType = PngColorType.Grayscale }), "image/png"),
            new("png-palette", Encode(colour, new PngEncoder { ColorType = PngColorType.Palette }), "image/png"),
            new("png-interlaced", Encode(colour, new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7 }), "image/png"),
            new("png-grey-16-interlaced", Encode(grey, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16, InterlaceMethod = PngInterlaceMode.Adam7 }), "image/png"),
            new("png-exif", Encode(oriented, new PngEncoder()), "image/png"),
            new("jpeg-baseline-420", Encode(colour, new JpegEncoder { Quality = 80, ColorType = JpegColorType.YCbCrRatio420 }), "image/jpeg"),
            new("jpeg-baseline-444", Encode(colour, new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio444 }), "image/jpeg"),
            new("jpeg-progressive-grey", Convert.FromBase64String(ProgressiveGreyJpeg), "image/jpeg"),
            new("jpeg-progressive-420", Convert.FromBase64String(ProgressiveColourJpeg), "image/jpeg"),
            new("bmp-24", Encode(colour, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 }), "image/bmp"),
            new("bmp-8", Encode(colour, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel8 }), "image/bmp"),
            new("gif", Encode(colour, new GifEncoder()), "image/gif"),
            new("webp-lossless", Encode(colour, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }), "image/webp"),
            new("webp-lossy", Encode(colour, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 75 }), "image/webp"),
        ];
    }

    /// <summary>A 48 × 48 "7" in dark ink on white.</summary>
    private static Image<TPixel> Digit<TPixel>()
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var image = new Image<TPixel>(48, 48);
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                Span<TPixel> row = accessor.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    bool bar = y is >= 8 and < 13 && x is >= 12 and < 36;
                    bool stem = y is >= 8 and < 40 && Math.Abs(x - (36 - (y - 8) / 2)) < 3;
                    byte level = bar || stem ? (byte)15 : (byte)240;
                    var pixel = default(TPixel);
                    pixel.FromRgba32(new Rgba32(level, level, level, 255));
                    row[x] = pixel;
                }
            }
        });
        return image;
    }

    private static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    private static (byte[] Input, string Mutation) Mutate(Seed seed, Random random)
    {
        byte[] bytes = (byte[])seed.Bytes.Clone();
        string name = "";
        int rounds = random.Next(4) == 0 ? 2 : 1;
        for (int round = 0; round < rounds; round++)
        {
            int kind = random.Next(8);
            name += (name.Length > 0 ? "+" : "") + kind switch
            {
                0 => "bit-flips",
                1 => "truncation",
                2 => "duplicated-segment",
                3 => "corrupted-length",
                4 => "corrupted-dimensions",
                5 => "inserted-bytes",
                6 => "overwritten-run",
                _ => "extreme-value",
            };
            bytes = kind switch
            {
                0 => FlipBits(bytes, random),
                1 => bytes[..random.Next(1, bytes.Length)],
                2 => DuplicateSegment(bytes, seed, random),
                3 => CorruptLength(bytes, seed, random),
                4 => CorruptDimensions(bytes, seed, random),
                5 => InsertRandom(bytes, random),
                6 => OverwriteRun(bytes, random),
                _ => WriteExtreme(bytes, random, random.Next(bytes.Length)),
            };
        }

        // Half the PNG mutations get valid CRCs again, so they reach the structure checks and the decoder.
        if (seed.MediaType == "image/png" && random.Next(2) == 0)
        {
            FixPngCrcs(bytes);
            name += "+crc-fixed";
        }

        return (bytes, name);
    }

    private static byte[] FlipBits(byte[] bytes, Random random)
    {
        int flips = 1 + random.Next(8);
        for (int i = 0; i < flips; i++)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }

        return bytes;
    }

    private static byte[] DuplicateSegment(byte[] bytes, Seed seed, Random random)
    {
        if (seed.MediaType == "image/png" && random.Next(2) == 0 && PngChunks(bytes) is { Count: > 0 } chunks)
        {
            (int offset, int length) = chunks[random.Next(chunks.Count)];
            int at = chunks[random.Next(chunks.Count)].Offset;
            return [.. bytes.AsSpan(0, at), .. bytes.AsSpan(offset, length), .. bytes.AsSpan(at)];
        }

        int start = random.Next(bytes.Length);
        int count = random.Next(1, Math.Min(256, bytes.Length - start) + 1);
        int insertAt = random.Next(bytes.Length + 1);
        return [.. bytes.AsSpan(0, insertAt), .. bytes.AsSpan(start, count), .. bytes.AsSpan(insertAt)];
    }

    private static byte[] CorruptLength(byte[] bytes, Seed seed, Random random)
    {
        if (seed.MediaType == "image/png" && PngChunks(bytes) is { Count: > 0 } chunks)
        {
            return WriteExtreme(bytes, random, chunks[random.Next(chunks.Count)].Offset);
        }

        // Segment and chunk lengths of the other formats sit near their markers; any 4 bytes will do.
        return WriteExtreme(bytes, random, random.Next(bytes.Length));
    }

    private static byte[] CorruptDimensions(byte[] bytes, Seed seed, Random random)
    {
        int value = random.Next(5) switch
        {
            0 => 0,
            1 => 1,
            2 => random.Next(1, 70_000),
            3 => ushort.MaxValue,
            _ => random.Next(),
        };
        switch (seed.MediaType)
        {
            case "image/png" when bytes.Length >= 24:
                BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(random.Next(2) == 0 ? 16 : 20), value);
                break;
            case "image/bmp" when bytes.Length >= 26:
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(random.Next(2) == 0 ? 18 : 22), random.Next(2) == 0 ? value : -value);
                break;
            case "image/gif" when bytes.Length >= 10:
                int descriptor = bytes.AsSpan(13).IndexOf((byte)0x2C);
                int at = descriptor >= 0 && random.Next(2) == 0 && 13 + descriptor + 9 <= bytes.Length ? 13 + descriptor + 5 : 6;
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 2 * random.Next(2)), (ushort)value);
                break;
            case "image/jpeg":
                int sof = FindJpegFrame(bytes);
                if (sof >= 0 && sof + 9 <= bytes.Length)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(sof + 5 + 2 * random.Next(2)), (ushort)value);
                }

                break;
            case "image/webp" when bytes.Length >= 30:
                // VP8L packs 14-bit sizes from byte 21; VP8 stores 14-bit sizes at 26 and 28.
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(random.Next(2) == 0 ? 21 : 26 + 2 * random.Next(2)), (ushort)value);
                break;
        }

        return bytes;
    }

    private static byte[] InsertRandom(byte[] bytes, Random random)
    {
        var inserted = new byte[random.Next(1, 64)];
        random.NextBytes(inserted);
        int at = random.Next(bytes.Length + 1);
        return [.. bytes.AsSpan(0, at), .. inserted, .. bytes.AsSpan(at)];
    }

    private static byte[] OverwriteRun(byte[] bytes, Random random)
    {
        int at = random.Next(bytes.Length);
        random.NextBytes(bytes.AsSpan(at, Math.Min(bytes.Length - at, random.Next(1, 32))));
        return bytes;
    }

    private static byte[] WriteExtreme(byte[] bytes, Random random, int at)
    {
        if (at + 4 > bytes.Length)
        {
            return bytes;
        }

        uint value = random.Next(6) switch
        {
            0 => 0,
            1 => uint.MaxValue,
            2 => int.MaxValue,
            3 => 0x8000_0000,
            4 => (uint)random.Next(1, 1 << 16),
            _ => (uint)random.Next(),
        };
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), value);
        return bytes;
    }

    /// <summary>The PNG chunks that lie wholly inside the file: offset and total size.</summary>
    private static List<(int Offset, int Length)> PngChunks(byte[] png)
    {
        var chunks = new List<(int, int)>();
        for (int offset = 8; offset + 12 <= png.Length;)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            if (length > png.Length - offset - 12)
            {
                break;
            }

            chunks.Add((offset, 12 + (int)length));
            offset += 12 + (int)length;
        }

        return chunks;
    }

    private static void FixPngCrcs(byte[] png)
    {
        foreach ((int offset, int length) in PngChunks(png))
        {
            BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(offset + length - 4), HostileImages.Crc32(png.AsSpan(offset + 4, length - 8)));
        }
    }

    private static int FindJpegFrame(byte[] jpeg)
    {
        for (int i = 2; i + 1 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                return i;
            }
        }

        return -1;
    }
}
