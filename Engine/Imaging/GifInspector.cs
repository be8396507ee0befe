using System.Buffers.Binary;

namespace Engine.Imaging;

/// <summary>
/// Walks a GIF's blocks up to its first image without decoding anything, so that the logical screen and the
/// first frame are both checked against the size limits before the decoder allocates for them.
/// </summary>
internal static class GifInspector
{
    private const byte ExtensionIntroducer = 0x21;
    private const byte ImageSeparator = 0x2C;

    /// <exception cref="ImageRejectedException">The GIF is corrupt or a declared size exceeds a limit.</exception>
    public static void Inspect(ReadOnlySpan<byte> gif, PixelBudget budget)
    {
        if (gif.Length < 13 || !(gif.StartsWith("GIF87a"u8) || gif.StartsWith("GIF89a"u8)))
        {
            throw Corrupt("its header is not GIF87a or GIF89a");
        }

        int screenWidth = BinaryPrimitives.ReadUInt16LittleEndian(gif[6..]);
        int screenHeight = BinaryPrimitives.ReadUInt16LittleEndian(gif[8..]);
        budget.Enforce(screenWidth, screenHeight, "GIF");

        byte flags = gif[10];
        long offset = 13 + ((flags & 0x80) != 0 ? 3 * (2 << (flags & 7)) : 0);
        while (true)
        {
            if (offset >= gif.Length)
            {
                throw Corrupt("it ends before its first image");
            }

            switch (gif[(int)offset])
            {
                case ExtensionIntroducer:
                    offset = SkipSubBlocks(gif, offset + 2);
                    break;
                case ImageSeparator:
                    if (offset + 10 > gif.Length)
                    {
                        throw Corrupt("it ends inside its first image descriptor");
                    }

                    ReadOnlySpan<byte> descriptor = gif.Slice((int)offset + 1, 9);
                    budget.Enforce(
                        BinaryPrimitives.ReadUInt16LittleEndian(descriptor[4..]),
                        BinaryPrimitives.ReadUInt16LittleEndian(descriptor[6..]),
                        "GIF");
                    return;
                default:
                    throw Corrupt("it has no image before its trailer or an unknown block");
            }
        }
    }

    private static long SkipSubBlocks(ReadOnlySpan<byte> gif, long offset)
    {
        while (true)
        {
            if (offset >= gif.Length)
            {
                throw Corrupt("it ends inside an extension block");
            }

            int size = gif[(int)offset];
            offset += 1 + size;
            if (size == 0)
            {
                return offset;
            }
        }
    }

    private static ImageRejectedException Corrupt(string why) =>
        new(ImageRejectionReason.Corrupt, $"The GIF image is corrupt: {why}.");
}
