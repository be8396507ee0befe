using System.Buffers.Binary;
using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace Tests.Engine.Imaging;

/// <summary>
/// Uploads crafted to hang, exhaust or overload a decoder, built byte by byte with an independent CRC, so the
/// tests do not depend on the code they check.
/// </summary>
internal static class HostileImages
{
    /// <summary>The size of the text in <see cref="CompressedTextBomb"/> once inflated.</summary>
    public const int BombTextBytes = 200_000_000;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly Lazy<byte[]> Bomb = new(() => WithChunkAfterHeader(DigitPng(), CompressedText(BombTextBytes)));

    /// <summary>
    /// 68 bytes: an interlaced 28 × 28 greyscale PNG whose pixel data inflates to 10 bytes instead of the 837
    /// the header needs. ImageSharp 2.1.13's interlaced path spins on it forever.
    /// </summary>
    public static byte[] InterlacedHang() =>
    [
        .. PngSignature,
        .. Chunk("IHDR", Header(28, 28, bitDepth: 8, colorType: 0, interlace: 1)),
        .. Chunk("IDAT", Compress(new byte[10])),
        .. Chunk("IEND", []),
    ];

    /// <summary>
    /// A digit PNG (about 190 KB) with a <c>zTXt</c> chunk that inflates to <see cref="BombTextBytes"/> bytes;
    /// built once per test run.
    /// </summary>
    public static byte[] CompressedTextBomb() => Bomb.Value;

    /// <summary>A small dark-on-white "1" that the preprocessor finds, as a PNG.</summary>
    public static byte[] DigitPng(PngInterlaceMode interlace = PngInterlaceMode.None)
    {
        using Image<L8> image = DigitImage();
        using var stream = new MemoryStream();
        image.SaveAsPng(stream, new PngEncoder { InterlaceMethod = interlace, ColorType = PngColorType.Grayscale });
        return stream.ToArray();
    }

    /// <summary>The image behind <see cref="DigitPng"/>: 48 × 48, a vertical bar on white.</summary>
    public static Image<L8> DigitImage()
    {
        var image = new Image<L8>(48, 48, new L8(255));
        for (int y = 8; y < 40; y++)
        {
            for (int x = 21; x < 27; x++)
            {
                image[x, y] = new L8(0);
            }
        }

        return image;
    }

    /// <summary>A <c>zTXt</c> chunk: keyword, separator, compression method 0, zlib data of <paramref name="textBytes"/> 'A's.</summary>
    public static byte[] CompressedText(int textBytes)
    {
        using var compressed = new MemoryStream();
        compressed.Write("Comment\0\0"u8);
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            byte[] block = new byte[1 << 20];
            Array.Fill(block, (byte)'A');
            for (int written = 0; written < textBytes; written += block.Length)
            {
                zlib.Write(block, 0, Math.Min(block.Length, textBytes - written));
            }
        }

        return Chunk("zTXt", compressed.ToArray());
    }

    /// <summary>Inserts <paramref name="chunk"/> right after the 33 bytes of signature and <c>IHDR</c>.</summary>
    public static byte[] WithChunkAfterHeader(byte[] png, byte[] chunk) => [.. png.AsSpan(0, 33), .. chunk, .. png.AsSpan(33)];

    /// <summary>A PNG built from raw rows, each already starting with its filter byte.</summary>
    public static byte[] RawPng(int width, int height, byte bitDepth, byte colorType, byte[] filteredRows, byte interlace = 0, byte[]? palette = null) =>
    [
        .. PngSignature,
        .. Chunk("IHDR", Header(width, height, bitDepth, colorType, interlace)),
        .. palette is null ? [] : Chunk("PLTE", palette),
        .. Chunk("IDAT", Compress(filteredRows)),
        .. Chunk("IEND", []),
    ];

    /// <summary>The 13 data bytes of an <c>IHDR</c> chunk.</summary>
    public static byte[] Header(int width, int height, byte bitDepth, byte colorType, byte interlace)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colorType;
        header[12] = interlace;
        return header;
    }

    /// <summary>A PNG chunk: length, type, data and CRC.</summary>
    public static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>zlib-compressed bytes, as PNG pixel data is stored.</summary>
    public static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>A bitwise CRC-32 (PNG's), the textbook reference.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
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

    /// <summary>A 24-bit BMP header (no pixel data) declaring <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static byte[] BmpDeclaring(int width, int height)
    {
        var bmp = new byte[14 + 40 + 64];
        "BM"u8.CopyTo(bmp);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        return bmp;
    }

    /// <summary>
    /// A GIF whose logical screen is 48 × 48 but whose first frame's descriptor declares
    /// <paramref name="frameWidth"/> × <paramref name="frameHeight"/>.
    /// </summary>
    public static byte[] GifWithFrame(int frameWidth, int frameHeight)
    {
        using var stream = new MemoryStream();
        stream.Write("GIF89a"u8);
        stream.Write([48, 0, 48, 0, 0x80, 0, 0]); // screen 48 × 48, global colour table of 2 entries
        stream.Write([0, 0, 0, 255, 255, 255]);
        stream.Write([0x2C, 0, 0, 0, 0]);
        stream.Write([(byte)frameWidth, (byte)(frameWidth >> 8), (byte)frameHeight, (byte)(frameHeight >> 8), 0]);
        stream.Write([2, 2, 0x4C, 0x01, 0, 0x3B]); // LZW: clear, end; block terminator; trailer
        return stream.ToArray();
    }

    /// <summary>
    /// A two-frame animated WebP (<c>VP8X</c> with the animation flag, <c>ANIM</c>, two <c>ANMF</c> frames of a
    /// lossless 48 × 48 digit), as animation tools write it.
    /// </summary>
    public static byte[] AnimatedWebp()
    {
        using Image<L8> image = DigitImage();
        using var encoded = new MemoryStream();
        image.SaveAsWebp(encoded, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        byte[] still = encoded.ToArray();
        byte[] vp8l = still[12..]; // the VP8L chunk, header included

        using var body = new MemoryStream();
        body.Write("WEBP"u8);
        body.Write(RiffChunk("VP8X", [0x02, 0, 0, 0, 47, 0, 0, 47, 0, 0]));
        body.Write(RiffChunk("ANIM", [255, 255, 255, 255, 0, 0]));
        for (int frame = 0; frame < 2; frame++)
        {
            // Offset x/2, y/2 (3 bytes each), width−1, height−1 (3 bytes each), duration (3), flags (1).
            byte[] header = [0, 0, 0, 0, 0, 0, 47, 0, 0, 47, 0, 0, 100, 0, 0, 0];
            body.Write(RiffChunk("ANMF", [.. header, .. vp8l]));
        }

        byte[] payload = body.ToArray();
        return [.. "RIFF"u8, .. LittleEndian(payload.Length), .. payload];
    }

    private static byte[] RiffChunk(string fourCc, byte[] data) =>
        [.. System.Text.Encoding.ASCII.GetBytes(fourCc), .. LittleEndian(data.Length), .. data, .. data.Length % 2 == 1 ? new byte[1] : []];

    private static byte[] LittleEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }
}
