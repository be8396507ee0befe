using Training.Data;

namespace Tests.Training.Data;

/// <summary>
/// MNIST in <c>data/mnist</c> at the repository root (60,000 training and 10,000 test digits, as
/// scripts/fetch-mnist.sh fetches them), loaded and split once per test run.
/// CI fetches them before testing, so their absence is a failure, not a reason to skip.
/// </summary>
internal static class TestMnist
{
    private static readonly Lazy<DigitSplits> Splits = new(() => DigitSplits.Load(Directory));

    public static string Directory
    {
        get
        {
            string directory = Path.Combine(RepositoryRoot(), "data", "mnist");
            if (!File.Exists(Path.Combine(directory, "train-images-idx3-ubyte")) && !File.Exists(Path.Combine(directory, "train-images-idx3-ubyte.gz")))
            {
                Assert.Fail($"MNIST is missing from '{directory}'. Run scripts/fetch-mnist.sh from the repository root first.");
            }
            return directory;
        }
    }

    /// <summary>The standard split: 54,000 training, 6,000 validation and the official 10,000 test digits.</summary>
    public static DigitSplits Load() => Splits.Value;

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Service.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Service.sln above '{AppContext.BaseDirectory}'.");
    }
}
