using System.Buffers.Binary;

namespace Engine.Imaging;

/// <summary>
/// Walks a WebP's RIFF chunks: refuses animations, which the decoder cannot read, and checks the canvas
/// size an extended (<c>VP8X</c>) header declares.
/// </summary>
internal static class WebpInspector
{
    private const byte AnimationFlag = 0x02;

    /// <exception cref="ImageRejectedException">The WebP is animated, or its canvas exceeds a limit.</exception>
    public static void Inspect(ReadOnlySpan<byte> webp, PixelBudget budget)
    {
        long offset = 12;
        while (offset + 8 <= webp.Length)
        {
            ReadOnlySpan<byte> fourCc = webp.Slice((int)offset, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(webp[((int)offset + 4)..]);
            ReadOnlySpan<byte> payload = webp[((int)offset + 8)..];
            if (fourCc.SequenceEqual("ANIM"u8) || fourCc.SequenceEqual("ANMF"u8)
                || (fourCc.SequenceEqual("VP8X"u8) && payload.Length >= 1 && (payload[0] & AnimationFlag) != 0))
            {
                throw new ImageRejectedException(
                    ImageRejectionReason.UnsupportedFormat,
                    "Animated WebP is not supported; send a still image.");
            }

            if (fourCc.SequenceEqual("VP8X"u8) && payload.Length >= 10)
            {
                // 24-bit little-endian canvas width and height, each stored minus one.
                long width = 1 + (payload[4] | payload[5] << 8 | payload[6] << 16);
                long height = 1 + (payload[7] | payload[8] << 8 | payload[9] << 16);
                budget.Enforce(width, height, "WebP");
            }

            // Chunks are padded to an even size.
            offset += 8 + size + (size & 1);
        }
    }
}
