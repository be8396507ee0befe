using System.Security.Cryptography;
using System.Text;

namespace Trainer.Study;

/// <summary>
/// The SHA-256 that identifies a dataset folder in the study's keys: of the lines <c>sha256sum</c> prints for its
/// IDX files (<c>*-ubyte</c>, <c>*-ubyte.gz</c>), sorted by file name. The same figure comes from
/// <c>cd DIR &amp;&amp; sha256sum *-ubyte* | LC_ALL=C sort -k2 | sha256sum</c>.
/// </summary>
public static class DataChecksum
{
    /// <summary>Hashes the IDX files of <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no IDX file.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static string Compute(string directory)
    {
        string[] files = Directory.EnumerateFiles(directory)
            .Where(path => Path.GetFileName(path) is { } name && (name.EndsWith("-ubyte", StringComparison.Ordinal) || name.EndsWith("-ubyte.gz", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
            throw new FileNotFoundException($"No IDX file (*-ubyte) in '{Path.GetFullPath(directory)}' to take the data checksum of.");
        var listing = new StringBuilder();
        foreach (string path in files)
        {
            using FileStream stream = File.OpenRead(path);
            listing.Append(Convert.ToHexStringLower(SHA256.HashData(stream))).Append("  ").Append(Path.GetFileName(path)).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing.ToString())));
    }
}
