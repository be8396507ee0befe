using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Engine.Imaging;

/// <summary>
/// Checks a PNG's structure before any decoder sees it, and drops the chunks the digit does not need.
/// </summary>
/// <remarks>
/// <para>Walks every chunk: lengths inside the file, the CRC of each chunk, <c>IHDR</c> first and valid
/// (sizes within <see cref="PixelBudget"/>, a legal bit-depth/colour-type pair, interlace 0 or 1), <c>PLTE</c>
/// present for palette images, <c>IDAT</c> chunks consecutive, no unknown critical chunk. Then inflates the
/// pixel data, discarding the output, and stops one byte after what the header needs: fewer bytes than
/// needed is refused here, because the decoder's interlaced path would spin forever on it.</para>
/// <para>Metadata is never inflated: only <c>IHDR</c>, <c>PLTE</c>, <c>tRNS</c>, <c>IDAT</c>, <c>IEND</c> and a
/// small <c>eXIf</c> (for orientation) are passed on. Text (<c>tEXt</c>, <c>zTXt</c>, <c>iTXt</c>), ICC
/// profiles and the rest are dropped; <c>gAMA</c> too, since the decoder records it without applying it.
/// When nothing is dropped the original bytes are used as they are.</para>
/// </remarks>
internal static class PngValidator
{
    /// <summary>The largest <c>eXIf</c> chunk kept; orientation needs a few dozen bytes, cameras write a few KB.</summary>
    public const int MaxExifBytes = 64 * 1024;

    private const uint Ihdr = 0x49484452;
    private const uint Plte = 0x504C5445;
    private const uint Trns = 0x74524E53;
    private const uint Idat = 0x49444154;
    private const uint Iend = 0x49454E44;
    private const uint Exif = 0x65584966;

    // Adam7: x start, y start, x step, y step of each of the seven passes.
    private static ReadOnlySpan<byte> Adam7 => [0, 0, 8, 8, 4, 0, 8, 8, 0, 4, 4, 8, 2, 0, 4, 4, 0, 2, 2, 4, 1, 0, 2, 2, 0, 1, 1, 2];

    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Validates the PNG at <paramref name="png"/> and returns what the decoder should read.</summary>
    /// <param name="png">The pinned upload.</param>
    /// <param name="length">Its length in bytes.</param>
    /// <param name="budget">The size limits.</param>
    /// <param name="decodeBudget">Checked between chunks and while inflating.</param>
    /// <exception cref="ImageRejectedException">The PNG is corrupt or exceeds a limit.</exception>
    /// <exception cref="OperationCanceledException">The decode budget ran out or the caller cancelled.</exception>
    public static unsafe SanitizedPng Sanitize(byte* png, int length, PixelBudget budget, DecodeBudget decodeBudget)
    {
        var data = new ReadOnlySpan<byte>(png, length);
        if (!data.StartsWith(Signature))
        {
            throw Corrupt("it does not start with the PNG signature");
        }

        PngHeader header = default;
        bool sawHeader = false, sawPalette = false, sawEnd = false, dropped = false;
        int firstDataChunk = -1, dataEnded = -1, keptBytes = Signature.Length, offset = Signature.Length;
        while (offset < data.Length)
        {
            decodeBudget.ThrowIfExceeded();
            int chunkLength = ReadChunk(data, offset, out uint type);
            if (!sawHeader && type != Ihdr)
            {
                throw Corrupt("its first chunk is not IHDR");
            }

            int chunkSize = 12 + chunkLength;
            switch (type)
            {
                case Ihdr:
                    if (sawHeader)
                    {
                        throw Corrupt("it has two IHDR chunks");
                    }

                    header = PngHeader.Parse(data.Slice(offset + 8, chunkLength));
                    budget.Enforce(header.Width, header.Height, "PNG");
                    sawHeader = true;
                    break;
                case Plte:
                    if (firstDataChunk >= 0 || chunkLength == 0 || chunkLength % 3 != 0 || chunkLength > 3 * 256)
                    {
                        throw Corrupt("its PLTE chunk is misplaced or has an invalid length");
                    }

                    sawPalette = true;
                    break;
                case Idat:
                    if (dataEnded >= 0)
                    {
                        throw Corrupt("its IDAT chunks are not consecutive");
                    }

                    if (firstDataChunk < 0)
                    {
                        firstDataChunk = offset;
                    }

                    break;
                case Iend:
                    sawEnd = true;
                    break;
            }

            if (type != Idat && firstDataChunk >= 0 && dataEnded < 0)
            {
                dataEnded = offset;
            }

            if (IsKept(type, chunkLength))
            {
                keptBytes += chunkSize;
            }
            else if (IsCritical(type))
            {
                throw Corrupt($"it has an unknown critical chunk '{TypeName(type)}'");
            }
            else
            {
                dropped = true;
            }

            offset += chunkSize;
            if (sawEnd)
            {
                break;
            }
        }

        if (!sawHeader)
        {
            throw Corrupt("it has no IHDR chunk");
        }

        if (firstDataChunk < 0)
        {
            throw Corrupt("it has no IDAT chunk");
        }

        if (header.ColorType == 3 && !sawPalette)
        {
            throw Corrupt("it is a palette image without a PLTE chunk");
        }

        CheckDataLength(png, length, firstDataChunk, header, decodeBudget);

        if (!dropped)
        {
            // Bytes after IEND are left out by length alone: no copy.
            return new SanitizedPng(header, null, offset);
        }

        byte[] rebuilt = ArrayPool<byte>.Shared.Rent(keptBytes);
        Signature.CopyTo(rebuilt);
        int written = Signature.Length;
        for (int position = Signature.Length; position < offset;)
        {
            int chunkLength = (int)BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            uint type = BinaryPrimitives.ReadUInt32BigEndian(data[(position + 4)..]);
            if (IsKept(type, chunkLength))
            {
                data.Slice(position, 12 + chunkLength).CopyTo(rebuilt.AsSpan(written));
                written += 12 + chunkLength;
            }

            position += 12 + chunkLength;
        }

        return new SanitizedPng(header, rebuilt, written);
    }

    /// <summary>
    /// The number of bytes the pixel data must inflate to: one filter byte plus the packed samples of each
    /// row, over the seven Adam7 passes (empty passes have no rows at all) when the image is interlaced.
    /// </summary>
    internal static long RequiredDataBytes(PngHeader header)
    {
        int bitsPerPixel = header.BitsPerPixel;
        if (!header.Interlaced)
        {
            return header.Height * (1 + RowBytes(header.Width, bitsPerPixel));
        }

        long total = 0;
        ReadOnlySpan<byte> passes = Adam7;
        for (int pass = 0; pass < 7; pass++)
        {
            int xStart = passes[4 * pass], yStart = passes[4 * pass + 1], xStep = passes[4 * pass + 2], yStep = passes[4 * pass + 3];
            long width = header.Width > xStart ? (header.Width - xStart + xStep - 1) / xStep : 0;
            long height = header.Height > yStart ? (header.Height - yStart + yStep - 1) / yStep : 0;
            if (width > 0 && height > 0)
            {
                total += height * (1 + RowBytes(width, bitsPerPixel));
            }
        }

        return total;
    }

    private static long RowBytes(long width, int bitsPerPixel) => (width * bitsPerPixel + 7) / 8;

    private static unsafe void CheckDataLength(byte* png, int length, int firstDataChunk, PngHeader header, DecodeBudget decodeBudget)
    {
        long required = RequiredDataBytes(header);
        long inflated = 0;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            using var compressed = new PngDataStream(png, length, firstDataChunk, decodeBudget);
            using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
            while (inflated <= required)
            {
                int wanted = (int)Math.Min(scratch.Length, required + 1 - inflated);
                int read = inflater.Read(scratch, 0, wanted);
                if (read == 0)
                {
                    break;
                }

                inflated += read;
            }
        }
        catch (InvalidDataException exception)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.Corrupt,
                "The PNG image is corrupt: its compressed pixel data is invalid.",
                exception);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }

        if (inflated < required)
        {
            throw Corrupt($"its pixel data inflates to {inflated:N0} bytes, but a {header.Width}×{header.Height} image needs {required:N0}");
        }
    }

    /// <summary>Reads and checks the chunk at <paramref name="offset"/>; returns its data length.</summary>
    private static int ReadChunk(ReadOnlySpan<byte> data, int offset, out uint type)
    {
        if (data.Length - offset < 12)
        {
            throw Corrupt("it is truncated inside a chunk header");
        }

        uint declared = BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
        if (declared > (uint)(data.Length - offset - 12))
        {
            throw Corrupt("a chunk's length runs past the end of the file (the file is truncated or damaged)");
        }

        int chunkLength = (int)declared;
        ReadOnlySpan<byte> typeBytes = data.Slice(offset + 4, 4);
        foreach (byte b in typeBytes)
        {
            if (!char.IsAsciiLetter((char)b))
            {
                throw Corrupt("a chunk type is not four letters");
            }
        }

        type = BinaryPrimitives.ReadUInt32BigEndian(typeBytes);
        uint stored = BinaryPrimitives.ReadUInt32BigEndian(data[(offset + 8 + chunkLength)..]);
        if (PngCrc32.Compute(data.Slice(offset + 4, 4 + chunkLength)) != stored)
        {
            throw Corrupt($"the CRC of its '{TypeName(type)}' chunk does not match");
        }

        return chunkLength;
    }

    private static bool IsKept(uint type, int chunkLength) =>
        type is Ihdr or Plte or Trns or Idat or Iend || (type == Exif && chunkLength <= MaxExifBytes);

    // Bit 5 of the first type byte is clear (upper case) for chunks a decoder must understand.
    private static bool IsCritical(uint type) => (type & 0x2000_0000) == 0;

    private static string TypeName(uint type) =>
        string.Create(4, type, static (span, t) =>
        {
            for (int i = 0; i < 4; i++)
            {
                span[i] = (char)(byte)(t >> (24 - 8 * i));
            }
        });

    internal static ImageRejectedException Corrupt(string why) =>
        new(ImageRejectionReason.Corrupt, $"The PNG image is corrupt: {why}.");
}
