using System.Buffers.Binary;
using Tests.Training.Data;
using Training.Data;

namespace Tests.Trainer;

/// <summary>
/// A small MNIST in the original layout (train- and t10k- IDX files and a NAME file) in a folder of its own,
/// cut from data/mnist: enough digits to train a model in about a second.
/// </summary>
internal sealed class TinyMnist : IDisposable
{
    public TinyMnist(int training = 400, int test = 100)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("tiny-mnist-").FullName;
        DigitSplits mnist = TestMnist.Load();
        Write("train", Spread(mnist.Training, training));
        Write("t10k", Spread(mnist.Test, test));
        File.WriteAllText(Path.Combine(Directory, "NAME"), $"Tiny MNIST, {training} training and {test} test digits");
    }

    /// <summary>The folder of the IDX files.</summary>
    public string Directory { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    /// <summary>A copy of the folder in which one pixel of one test image differs.</summary>
    public string CopyWithOneTestPixelChanged()
    {
        string copy = System.IO.Directory.CreateTempSubdirectory("tiny-mnist-changed-").FullName;
        foreach (string file in System.IO.Directory.GetFiles(Directory))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        string images = Path.Combine(copy, "t10k-images-idx3-ubyte");
        byte[] bytes = File.ReadAllBytes(images);
        bytes[^1] ^= 1;
        File.WriteAllBytes(images, bytes);
        return copy;
    }

    private static DigitDataset Spread(DigitDataset dataset, int count) =>
        dataset.Subset([.. Enumerable.Range(0, count).Select(i => (int)((long)i * dataset.Count / count))]);

    private void Write(string prefix, DigitDataset digits)
    {
        File.WriteAllBytes(Path.Combine(Directory, $"{prefix}-images-idx3-ubyte"), [.. Header(0x0803, digits.Count, DigitDataset.Side, DigitDataset.Side), .. digits.Images]);
        File.WriteAllBytes(Path.Combine(Directory, $"{prefix}-labels-idx1-ubyte"), [.. Header(0x0801, digits.Count), .. digits.Labels]);
    }

    private static byte[] Header(params int[] words)
    {
        var header = new byte[words.Length * 4];
        for (int i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(i * 4), words[i]);
        }
        return header;
    }
}
