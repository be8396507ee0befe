using Contracts;

namespace Training.Data;

/// <summary>
/// The three parts a model is made with. A dataset with its own test files (MNIST or Fashion-MNIST: 60,000
/// training and 10,000 test images) keeps that test set and holds a stratified tenth of its training images
/// out for validation; a single labelled set is split three ways (2,000 for testing, 1,000 for validation,
/// the rest for training).
/// </summary>
/// <param name="Name">Where the data came from, in words.</param>
/// <param name="Training">Images used to fit the weights.</param>
/// <param name="Validation">Images used to choose the epoch.</param>
/// <param name="Test">Images never used for training or model selection.</param>
/// <param name="Split">The sizes and seed, as model cards record them.</param>
public sealed record DigitSplits(string Name, DigitDataset Training, DigitDataset Validation, DigitDataset Test, DatasetSplit Split)
{
    /// <summary>The seed of the standard split: fixed so that every model is tested on the same digits.</summary>
    public const int StandardSeed = 20_240_601;

    /// <summary>Test images split off a dataset without its own test set.</summary>
    public const int StandardTestCount = 2_000;

    /// <summary>Validation images held out of the training images.</summary>
    public const int StandardValidationCount = 1_000;

    /// <summary>The IDX files the digits were read from, with their SHA-256, in the order they were read.</summary>
    public IReadOnlyList<DataFileChecksum> Files { get; init; } = [];

    /// <summary>
    /// Loads <c>images-idx3-ubyte</c> and <c>labels-idx1-ubyte</c> (or the original MNIST names
    /// <c>train-…</c> and <c>t10k-…</c>, raw or <c>.gz</c>) from <paramref name="directory"/> and splits them.
    /// A <c>NAME</c> file in the folder, if any, names the dataset.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder holds no IDX files of a known name.</exception>
    public static DigitSplits Load(string directory, int seed = StandardSeed)
    {
        string name = DatasetName(directory);
        if (Find(directory, "images-idx3-ubyte") is { } images && Find(directory, "labels-idx1-ubyte") is { } labels)
        {
            DigitDataset all = DigitDataset.Load(name, images, labels);
            StratifiedSplit split = StratifiedSplit.Create(all.Labels, StandardTestCount, StandardValidationCount, seed);
            return new DigitSplits(name, all.Subset(split.Training), all.Subset(split.Validation), all.Subset(split.Test),
                new DatasetSplit(split.Training.Length, split.Validation.Length, split.Test.Length, seed))
            {
                Files = Checksums(images, labels),
            };
        }
        if (Find(directory, "train-images-idx3-ubyte") is { } trainImages && Find(directory, "train-labels-idx1-ubyte") is { } trainLabels
            && Find(directory, "t10k-images-idx3-ubyte") is { } testImages && Find(directory, "t10k-labels-idx1-ubyte") is { } testLabels)
        {
            DigitDataset train = DigitDataset.Load(name, trainImages, trainLabels);
            DigitDataset test = DigitDataset.Load(name, testImages, testLabels);
            StratifiedSplit split = StratifiedSplit.Create(train.Labels, 0, train.Count / 10, seed);
            return new DigitSplits(name, train.Subset(split.Training), train.Subset(split.Validation), test,
                new DatasetSplit(split.Training.Length, split.Validation.Length, test.Count, seed))
            {
                Files = Checksums(trainImages, trainLabels, testImages, testLabels),
            };
        }
        throw new FileNotFoundException(
            $"No IDX dataset in '{Path.GetFullPath(directory)}': expected images-idx3-ubyte + labels-idx1-ubyte, " +
            "or train-/t10k-images-idx3-ubyte + train-/t10k-labels-idx1-ubyte (raw or .gz). Run scripts/fetch-mnist.sh for MNIST.");
    }

    // A NAME file beside the IDX files says where they came from; otherwise the folder's name stands in.
    private static string DatasetName(string directory)
    {
        string nameFile = Path.Combine(directory, "NAME");
        return File.Exists(nameFile)
            ? File.ReadAllText(nameFile).Trim()
            : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
    }

    // Named without ".gz": the checksum is of the IDX bytes, so compressing a file changes neither.
    private static DataFileChecksum[] Checksums(params string[] paths) =>
        [.. paths.Select(p => new DataFileChecksum(Path.GetFileName(p) is var file && file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? file[..^3] : file, IdxFile.Sha256(p)))];

    private static string? Find(string directory, string baseName) =>
        new[] { baseName, baseName + ".gz" }.Select(f => Path.Combine(directory, f)).FirstOrDefault(File.Exists);
}
