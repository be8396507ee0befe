using Engine.Imaging;

namespace Training.Data;

/// <summary>Labelled 28×28 grayscale images, as in MNIST: bytes 0–255, ink bright on a dark background.</summary>
public sealed class DigitDataset
{
    /// <summary>The side of each square image.</summary>
    public const int Side = DigitNormalizer.Side;

    /// <summary>Bytes per image.</summary>
    public const int ImageSize = Side * Side;

    /// <summary>Creates a dataset from images laid out one after another and one label per image.</summary>
    /// <exception cref="ArgumentException">The counts disagree or a label is not 0–9.</exception>
    public DigitDataset(string name, byte[] images, byte[] labels)
    {
        if (images.Length != labels.Length * ImageSize)
        {
            throw new ArgumentException($"{labels.Length} labels need {labels.Length * ImageSize} image bytes, got {images.Length}.", nameof(images));
        }
        if (labels.Any(l => l > 9))
        {
            throw new ArgumentException("Every label must be a digit class 0–9.", nameof(labels));
        }
        Name = name;
        Images = images;
        Labels = labels;
    }

    /// <summary>Where the data came from, in words.</summary>
    public string Name { get; }

    /// <summary>The images, <see cref="ImageSize"/> bytes each, one after another.</summary>
    public byte[] Images { get; }

    /// <summary>The class of each image, 0–9.</summary>
    public byte[] Labels { get; }

    /// <summary>The number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Images.AsSpan(index * ImageSize, ImageSize);

    /// <summary>Loads a pair of IDX files (raw or <c>.gz</c>): images of 28×28 bytes and their labels.</summary>
    /// <exception cref="InvalidDataException">The files are not 28×28 images and matching labels.</exception>
    public static DigitDataset Load(string name, string imagesPath, string labelsPath)
    {
        (int[] imageDimensions, byte[] images) = IdxFile.Read(imagesPath);
        (int[] labelDimensions, byte[] labels) = IdxFile.Read(labelsPath);
        if (imageDimensions is not [_, Side, Side])
        {
            throw new InvalidDataException($"'{imagesPath}' holds images of {string.Join('×', imageDimensions.Skip(1))}, not {Side}×{Side}.");
        }
        if (labelDimensions.Length != 1 || labelDimensions[0] != imageDimensions[0])
        {
            throw new InvalidDataException($"'{labelsPath}' holds {labelDimensions[0]} labels for {imageDimensions[0]} images.");
        }
        try
        {
            return new DigitDataset(name, images, labels);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidDataException($"'{labelsPath}': {exception.Message}", exception);
        }
    }

    /// <summary>The images at <paramref name="indices"/>, in that order.</summary>
    public DigitDataset Subset(IReadOnlyList<int> indices)
    {
        var images = new byte[indices.Count * ImageSize];
        var labels = new byte[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(images.AsSpan(i * ImageSize));
            labels[i] = Labels[indices[i]];
        }
        return new DigitDataset(Name, images, labels);
    }
}
