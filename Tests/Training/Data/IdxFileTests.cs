using System.IO.Compression;
using Training.Data;

namespace Tests.Training.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("idx-tests-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Read_HandWrittenFile_ReturnsDimensionsAndBytes()
    {
        // Magic 0x00000803 (unsigned bytes, 3 dimensions), sizes 2, 3, 4 big-endian, then 24 bytes.
        byte[] file = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, .. Enumerable.Range(0, 24).Select(i => (byte)(i * 10))];
        string path = Write("three.idx", file);

        (int[] dimensions, byte[] data) = IdxFile.Read(path);

        Assert.Equal([2, 3, 4], dimensions);
        Assert.Equal(file[16..], data);
    }

    [Fact]
    public void Read_LargeDimensionSizes_AreBigEndian()
    {
        // 0x00000102 = 258 labels: a little-endian reader would see 0x02010000.
        byte[] file = [0, 0, 8, 1, 0, 0, 1, 2, .. Enumerable.Range(0, 258).Select(i => (byte)(i % 10))];

        (int[] dimensions, byte[] data) = IdxFile.Read(Write("labels.idx", file));

        Assert.Equal([258], dimensions);
        Assert.Equal(file[8..], data);
    }

    [Theory]
    [InlineData("pair.idx.gz")]
    [InlineData("PAIR.IDX.GZ")]
    public void Read_GzipFile_IsDecompressed(string name)
    {
        byte[] file = [0, 0, 8, 2, 0, 0, 0, 3, 0, 0, 0, 5, .. Enumerable.Range(0, 15).Select(i => (byte)(255 - i))];
        string path = Path.Combine(directory, name);
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Optimal))
        {
            gzip.Write(file);
        }

        (int[] dimensions, byte[] data) = IdxFile.Read(path);

        Assert.Equal([3, 5], dimensions);
        Assert.Equal(file[12..], data);
    }

    [Fact]
    public void Read_TrailingBytes_AreIgnored()
    {
        byte[] file = [0, 0, 8, 1, 0, 0, 0, 2, 7, 9, 99, 99];
        (int[] dimensions, byte[] data) = IdxFile.Read(Write("trailing.idx", file));
        Assert.Equal([2], dimensions);
        Assert.Equal([7, 9], data);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 9, 1 })] // 0x09: signed bytes
    [InlineData(new byte[] { 0, 0, 0x0D, 1 })] // 0x0D: floats
    [InlineData(new byte[] { 1, 0, 8, 1 })]
    [InlineData(new byte[] { 0, 1, 8, 1 })]
    [InlineData(new byte[] { 0, 0, 8, 0 })] // no dimensions
    [InlineData(new byte[] { 0, 0, 8, 5 })] // more than 4 dimensions
    [InlineData(new byte[] { 1, 8, 0, 0 })] // little-endian magic
    public void Read_WrongMagic_ThrowsInvalidData(byte[] magic)
    {
        string path = Write("magic.idx", [.. magic, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 42]);
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData(0)] // empty file
    [InlineData(3)] // inside the magic
    [InlineData(10)] // inside the second dimension
    [InlineData(12)] // header only
    [InlineData(17)] // one byte short
    public void Read_TruncatedFile_ThrowsInvalidData(int keptBytes)
    {
        byte[] file = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6];
        string path = Write("truncated.idx", file[..keptBytes]);
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Read_TruncatedGzip_ThrowsInvalidData()
    {
        byte[] file = [0, 0, 8, 1, 0, 0, 0x10, 0, .. new byte[4096].Select((_, i) => (byte)(i * 7 % 251))];
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(file);
        }
        byte[] bytes = compressed.ToArray();
        string path = Write("truncated.idx.gz", bytes[..(bytes.Length / 2)]);

        Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF })] // −1
    public void Read_ZeroOrNegativeDimension_ThrowsInvalidData(byte[] size)
    {
        string path = Write("dimension.idx", [0, 0, 8, 2, 0, 0, 0, 1, .. size, 1, 2, 3]);
        Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
    }

    [Fact]
    public void Read_DimensionsBeyondArrayMaxLength_ThrowInvalidData()
    {
        // 65,536 × 65,536 = 2³² bytes: more than any array, and declared by a 16-byte file.
        string path = Write("huge.idx", [0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0, 1, 2, 3, 4]);
        Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
    }

    // Formerly a bug: the running product wrapped (to 0 for 2⁶⁴, negative for 2⁶³); it is now capped.
    [Fact]
    public void Read_DimensionsWhoseProductOverflows_ThrowInvalidData()
    {
        string wrapsToZero = Write("wrap-zero.idx", [0, 0, 8, 4, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0]);
        Assert.Throws<InvalidDataException>(() => IdxFile.Read(wrapsToZero));

        string wrapsNegative = Write("wrap-negative.idx", [0, 0, 8, 3, 0, 0x20, 0, 0, 0, 0x20, 0, 0, 0, 0x20, 0, 0, 1]);
        Assert.Throws<InvalidDataException>(() => IdxFile.Read(wrapsNegative));
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => IdxFile.Read(Path.Combine(directory, "absent.idx")));
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
