using Training.Data;
using Training.Pipeline;

namespace Benchmarks;

/// <summary>
/// The images the network benchmarks feed: MNIST digits from <c>data/mnist</c> (scripts/fetch-mnist.sh),
/// normalised as the service normalises uploads, or, where that folder is missing, random pixels with random
/// labels. The time of a forward or backward pass does not depend on the pixel values (no layer skips zeros),
/// so the fallback changes what the networks answer, not how long they take.
/// </summary>
internal static class BenchmarkDigits
{
    private static readonly Lazy<DigitSplits?> Mnist = new(LoadMnist);

    /// <summary>The folder the MNIST digits are read from.</summary>
    public static string MnistDirectory => Path.Combine(Repository.Root, "data", "mnist");

    /// <summary>Where the images come from, in words, for the report.</summary>
    public static string Source => Mnist.Value is { } splits
        ? $"digits from `data/mnist` ({splits.Name}): test digits for inference, training and validation digits for training, normalised as the service normalises uploads"
        : "random pixels in [0, 1] with random labels (`data/mnist` not found; run scripts/fetch-mnist.sh for real digits)";

    /// <summary>The first <paramref name="count"/> test digits.</summary>
    public static PreparedDigits Test(int count) => Take(Mnist.Value?.Test, count, seed: 1);

    /// <summary>The first <paramref name="count"/> training digits.</summary>
    public static PreparedDigits Training(int count) => Take(Mnist.Value?.Training, count, seed: 2);

    /// <summary>The first <paramref name="count"/> validation digits.</summary>
    public static PreparedDigits Validation(int count) => Take(Mnist.Value?.Validation, count, seed: 3);

    private static PreparedDigits Take(DigitDataset? dataset, int count, int seed)
    {
        if (dataset is not null)
        {
            if (dataset.Count < count)
            {
                throw new InvalidOperationException($"'{MnistDirectory}' holds {dataset.Count} images for this part, fewer than the {count} the benchmark needs.");
            }
            return PreparedDigits.From(dataset.Subset(Enumerable.Range(0, count).ToArray()));
        }
        var random = new Random(seed);
        var pixels = new byte[count * DigitDataset.ImageSize];
        var labels = new byte[count];
        random.NextBytes(pixels);
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)random.Next(10);
        }
        return PreparedDigits.Scaled(new DigitDataset("random", pixels, labels));
    }

    private static DigitSplits? LoadMnist()
    {
        try
        {
            return DigitSplits.Load(MnistDirectory);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
