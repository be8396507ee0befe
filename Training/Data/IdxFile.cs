using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Training.Data;

/// <summary>
/// Reads the IDX files that MNIST and Fashion-MNIST are distributed in: a big-endian header (magic
/// 0x0000080N for N dimensions of unsigned bytes, then N sizes) followed by the bytes. Files ending in
/// <c>.gz</c> are decompressed on the fly.
/// </summary>
public static class IdxFile
{
    private const int UnsignedByteType = 0x08;

    /// <summary>Reads an IDX file of unsigned bytes and returns its dimensions and data.</summary>
    /// <exception cref="InvalidDataException">The file is not an IDX file of unsigned bytes, or is truncated.</exception>
    public static (int[] Dimensions, byte[] Data) Read(string path)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;

        Span<byte> word = stackalloc byte[4];
        ReadExactly(stream, word, path);
        if (word[0] != 0 || word[1] != 0 || word[2] != UnsignedByteType || word[3] is 0 or > 4)
        {
            throw new InvalidDataException($"'{path}' is not an IDX file of unsigned bytes (magic {Convert.ToHexString(word)}).");
        }

        var dimensions = new int[word[3]];
        long total = 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            ReadExactly(stream, word, path);
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(word);
            // Each size is below 2³¹ and the running product is capped below, so this cannot overflow.
            total = dimensions[i] <= 0 ? 0 : Math.Min(total * dimensions[i], (long)Array.MaxLength + 1);
        }
        if (total == 0 || total > Array.MaxLength)
        {
            throw new InvalidDataException($"'{path}' declares impossible dimensions {string.Join('×', dimensions)}.");
        }

        var data = new byte[total];
        ReadExactly(stream, data, path);
        return (dimensions, data);
    }

    /// <summary>
    /// The SHA-256 of the IDX bytes in <paramref name="path"/>, lower-case hex. A <c>.gz</c> file is hashed after
    /// decompressing, so the same data gives the same checksum whether or not it is compressed, and the checksums
    /// published for the raw MNIST files apply.
    /// </summary>
    public static string Sha256(string path)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException($"'{path}' ends before its declared size.", exception);
        }
    }
}
