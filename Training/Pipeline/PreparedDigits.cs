using Engine.Imaging;
using Training.Data;

namespace Training.Pipeline;

/// <summary>
/// Digits ready for the network: each image run through the very normalisation that the service applies
/// to uploads (<see cref="DigitNormalizer"/>), so what the model learns is what it is later shown.
/// </summary>
public sealed class PreparedDigits
{
    private PreparedDigits(float[] images, byte[] labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>The normalised images, 784 floats each, one after another.</summary>
    public float[] Images { get; }

    /// <summary>The class of each image.</summary>
    public byte[] Labels { get; }

    /// <summary>Floats per image: 28 × 28.</summary>
    public const int InputSize = DigitNormalizer.Side * DigitNormalizer.Side;

    /// <summary>The number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The normalised pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Image(int index) => Images.AsSpan(index * InputSize, InputSize);

    /// <summary>Normalises every image of <paramref name="dataset"/>; images with no ink at all are kept as they are.</summary>
    public static PreparedDigits From(DigitDataset dataset)
    {
        var images = new float[dataset.Count * InputSize];
        Parallel.For(0, dataset.Count, i =>
        {
            Span<float> destination = images.AsSpan(i * InputSize, InputSize);
            try
            {
                DigitNormalizer.NormalizeMnist(dataset.Image(i), destination);
            }
            catch (DigitNotFoundException)
            {
                // A blank image has nothing to centre; the service refuses such uploads, training keeps them as they are.
                for (int p = 0; p < destination.Length; p++)
                {
                    destination[p] = dataset.Image(i)[p] / 255f;
                }
            }
        });
        return new PreparedDigits(images, dataset.Labels.ToArray());
    }

    /// <summary>
    /// The images as stored, pixels scaled to [0, 1] and nothing else: for datasets whose pictures are not
    /// handwritten digits (Fashion-MNIST), which the digit normalisation would distort.
    /// </summary>
    public static PreparedDigits Scaled(DigitDataset dataset)
    {
        var images = new float[dataset.Count * InputSize];
        for (int i = 0; i < dataset.Count; i++)
        {
            ReadOnlySpan<byte> pixels = dataset.Image(i);
            Span<float> destination = images.AsSpan(i * InputSize, InputSize);
            for (int p = 0; p < InputSize; p++)
            {
                destination[p] = pixels[p] / 255f;
            }
        }
        return new PreparedDigits(images, dataset.Labels.ToArray());
    }
}
