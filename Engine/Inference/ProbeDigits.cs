namespace Engine.Inference;

/// <summary>
/// The inputs every backend is checked on before its model serves: 30 MNIST digits (three of each class,
/// CC BY-SA 3.0), a blank image and an all-ink one, as the models expect them (values in [0, 1]).
/// </summary>
public static class ProbeDigits
{
    private const string ResourceName = "ProbeDigits.bin";

    private static readonly Lazy<float[]> Images = new(Load);

    /// <summary>The number of probe images.</summary>
    public static int Count => Images.Value.Length / DigitModel.ImageSize;

    /// <summary>The probe images, one after another, <see cref="DigitModel.ImageSize"/> floats each.</summary>
    public static ReadOnlySpan<float> All => Images.Value;

    private static float[] Load()
    {
        using Stream stream = typeof(ProbeDigits).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing from the Engine assembly.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        var images = new float[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            images[i] = bytes[i] / 255f;
        }
        return images;
    }
}
