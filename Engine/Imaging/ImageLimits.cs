namespace Engine.Imaging;

/// <summary>Resource limits that <see cref="DigitImagePreprocessor"/> enforces on every upload.</summary>
public sealed class ImageLimits
{
    /// <summary>The default <see cref="MaxPixels"/>: a 4096 × 4096 image.</summary>
    public const long DefaultMaxPixels = 4096L * 4096L;

    /// <summary>The default <see cref="MaxSide"/>: 8192 pixels, twice the side of a default-sized square.</summary>
    public const int DefaultMaxSide = 8192;

    /// <summary>The default <see cref="DecodeTimeout"/>: 2 seconds.</summary>
    public static readonly TimeSpan DefaultDecodeTimeout = TimeSpan.FromSeconds(2);

    // Decoders and processors hold at most a few whole-image buffers of up to 16 bytes per pixel
    // (Vector4 working rows are per-row, but Rgba32 frames and rotated copies are whole-image), so 16 B/px
    // bounds the largest single allocation a legitimate image within MaxPixels can need.
    private const long BytesPerPixelBudget = 16;

    // Small limits must still leave room for decoder bookkeeping (stream buffers, tables, scanlines).
    private const int MinimumAllocationLimitMegabytes = 32;

    /// <summary>
    /// The largest width × height, as declared in the image header, that will be decoded.
    /// Checked before any pixel memory is allocated. Default <see cref="DefaultMaxPixels"/> (16,777,216).
    /// </summary>
    public long MaxPixels { get; set; } = DefaultMaxPixels;

    /// <summary>
    /// The longest side, in pixels, an image header may declare; checked before decoding together with
    /// <see cref="MaxPixels"/>. Default <see cref="DefaultMaxSide"/> (8192).
    /// </summary>
    /// <remarks>
    /// Decoders spend a fixed amount of work per row, so a 1 × 8,000,000 image costs far more than its pixel
    /// count suggests; capping the side keeps every accepted shape within the cost of a square image of
    /// <see cref="MaxPixels"/> pixels.
    /// </remarks>
    public int MaxSide { get; set; } = DefaultMaxSide;

    /// <summary>
    /// How long decoding one upload may take, from the first header check to the normalised digit.
    /// Default <see cref="DefaultDecodeTimeout"/> (2 s).
    /// </summary>
    /// <remarks>
    /// Over budget, <see cref="DigitImagePreprocessor"/> stops the work and throws
    /// <see cref="ImageRejectedException"/> with <see cref="ImageRejectionReason.DecodeTimeout"/>. The check
    /// runs between stages and, inside a decoder, each time it reads more of the file (about every 8 KB).
    /// </remarks>
    public TimeSpan DecodeTimeout { get; set; } = DefaultDecodeTimeout;

    /// <summary>
    /// The largest single buffer, in megabytes, the decoder's memory allocator may hand out; a backstop for
    /// images whose header lies about their size. <see langword="null"/> (the default) derives it from
    /// <see cref="MaxPixels"/> at 16 bytes per pixel, at least 32 MB.
    /// </summary>
    public int? AllocationLimitMegabytes { get; set; }

    /// <summary>The allocation limit actually applied: <see cref="AllocationLimitMegabytes"/> or the derived value.</summary>
    internal int EffectiveAllocationLimitMegabytes
    {
        get
        {
            if (AllocationLimitMegabytes is { } explicitLimit)
            {
                return explicitLimit;
            }

            // Saturate rather than overflow for absurdly large MaxPixels values.
            long pixels = Math.Clamp(MaxPixels, 0, long.MaxValue / BytesPerPixelBudget - (1L << 20));
            long megabytes = (pixels * BytesPerPixelBudget + (1L << 20) - 1) >> 20;
            return (int)Math.Clamp(megabytes, MinimumAllocationLimitMegabytes, int.MaxValue);
        }
    }
}
