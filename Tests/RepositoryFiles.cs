using Training.Data;

namespace Tests;

/// <summary>Files of the repository that tests use: the committed models and the fetched MNIST data.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<DigitSplits> Mnist = new(LoadMnist);

    /// <summary>The folder holding <c>Service.sln</c>, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The committed, trained models.</summary>
    public static string ModelsDirectory => Path.Combine(Root, "models");

    /// <summary>
    /// The standard split of MNIST: 54,000 training, 6,000 validation and the official 10,000 test digits. Tests
    /// that need it fail, rather than skip, when the data has not been fetched: CI fetches it first.
    /// </summary>
    public static DigitSplits MnistSplits => Mnist.Value;

    private static DigitSplits LoadMnist()
    {
        string directory = Path.Combine(Root, "data", "mnist");
        if (!File.Exists(Path.Combine(directory, "train-images-idx3-ubyte")))
        {
            Assert.Fail($"No MNIST data in '{directory}': run scripts/fetch-mnist.sh first.");
        }
        return DigitSplits.Load(directory);
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Service.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No folder above '{AppContext.BaseDirectory}' holds Service.sln.");
    }
}
