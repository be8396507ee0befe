namespace Benchmarks;

/// <summary>Where the repository is, for the report's default path and the MNIST digits under <c>data/</c>.</summary>
internal static class Repository
{
    /// <summary>
    /// The nearest folder up from the working directory that holds <c>Service.sln</c>, or the working directory.
    /// BenchmarkDotNet's case processes run inside <c>BenchmarkDotNet.Artifacts/</c>, which is below it too.
    /// </summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Service.sln")))
            {
                return directory.FullName;
            }
        }
        return Environment.CurrentDirectory;
    }
}
