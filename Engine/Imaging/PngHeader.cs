using System.Buffers.Binary;

namespace Engine.Imaging;

/// <summary>The fields of a PNG <c>IHDR</c> chunk, checked against the PNG specification.</summary>
internal readonly struct PngHeader
{
    private PngHeader(long width, long height, byte bitDepth, byte colorType, bool interlaced)
    {
        Width = width;
        Height = height;
        BitDepth = bitDepth;
        ColorType = colorType;
        Interlaced = interlaced;
    }

    public long Width { get; }

    public long Height { get; }

    public byte BitDepth { get; }

    /// <summary>0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA.</summary>
    public byte ColorType { get; }

    /// <summary>Adam7 interlaced.</summary>
    public bool Interlaced { get; }

    /// <summary>Bits per pixel: the bit depth times the samples per pixel of the colour type.</summary>
    public int BitsPerPixel => BitDepth * ColorType switch
    {
        2 => 3,
        4 => 2,
        6 => 4,
        _ => 1,
    };

    /// <summary>Parses and validates the 13 data bytes of an <c>IHDR</c> chunk.</summary>
    /// <exception cref="ImageRejectedException">The header is invalid.</exception>
    public static PngHeader Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length != 13)
        {
            throw PngValidator.Corrupt("its IHDR chunk is not 13 bytes long");
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        byte bitDepth = data[8], colorType = data[9], compression = data[10], filter = data[11], interlace = data[12];
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue)
        {
            throw PngValidator.Corrupt($"its header declares a {width}×{height} image; sides must be between 1 and 2^31 − 1");
        }

        bool legal = colorType switch
        {
            0 => bitDepth is 1 or 2 or 4 or 8 or 16,
            3 => bitDepth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => bitDepth is 8 or 16,
            _ => false,
        };
        if (!legal)
        {
            throw PngValidator.Corrupt($"colour type {colorType} with bit depth {bitDepth} is not a legal combination");
        }

        if (compression != 0 || filter != 0 || interlace > 1)
        {
            throw PngValidator.Corrupt("its header names an unknown compression, filter or interlace method");
        }

        return new PngHeader(width, height, bitDepth, colorType, interlace == 1);
    }

    /// <summary>A header for the given fields, unchecked; for computing sizes.</summary>
    internal static PngHeader Create(long width, long height, byte bitDepth, byte colorType, bool interlaced) =>
        new(width, height, bitDepth, colorType, interlaced);
}
