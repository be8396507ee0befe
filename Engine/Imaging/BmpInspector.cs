using System.Buffers.Binary;

namespace Engine.Imaging;

/// <summary>Reads the size a BMP header declares, so a huge bitmap is refused like a huge PNG or JPEG.</summary>
internal static class BmpInspector
{
    private const int FileHeaderSize = 14;
    private const int CoreHeaderSize = 12;

    /// <exception cref="ImageRejectedException">The header is truncated or a declared size exceeds a limit.</exception>
    public static void Inspect(ReadOnlySpan<byte> bmp, PixelBudget budget)
    {
        if (bmp.Length < FileHeaderSize + 4)
        {
            throw Corrupt("it ends inside its header");
        }

        int infoSize = BinaryPrimitives.ReadInt32LittleEndian(bmp[FileHeaderSize..]);
        long width, height;
        if (infoSize == CoreHeaderSize)
        {
            // OS/2 1.x: unsigned 16-bit sides.
            if (bmp.Length < FileHeaderSize + CoreHeaderSize)
            {
                throw Corrupt("it ends inside its header");
            }

            width = BinaryPrimitives.ReadUInt16LittleEndian(bmp[18..]);
            height = BinaryPrimitives.ReadUInt16LittleEndian(bmp[20..]);
        }
        else
        {
            if (infoSize < 16 || bmp.Length < FileHeaderSize + 12)
            {
                throw Corrupt("its info header is missing or too short");
            }

            width = BinaryPrimitives.ReadInt32LittleEndian(bmp[18..]);
            // A negative height means rows are stored top-down; the size is its magnitude.
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(bmp[22..]));
        }

        budget.Enforce(width, height, "BMP");
    }

    private static ImageRejectedException Corrupt(string why) =>
        new(ImageRejectionReason.Corrupt, $"The BMP image is corrupt: {why}.");
}
