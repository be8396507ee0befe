using System.Buffers;
using Contracts;
using Engine.Imaging;
using Engine.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Engine.Inference;

/// <summary>
/// One trained ONNX model and its card, with the ONNX Runtime session that runs it. Create it once and
/// share it: <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, and every call rents its own buffers.
/// </summary>
public sealed class DigitModel : IDisposable
{
    /// <summary>The side of the square input image.</summary>
    public const int ImageSide = DigitNormalizer.Side;

    /// <summary>Floats per input image.</summary>
    public const int ImageSize = ImageSide * ImageSide;

    /// <summary>The number of classes, the digits 0–9.</summary>
    public const int Classes = Networks.NetworkArchitecture.Classes;

    private const string ProbabilitiesOutput = "probabilities";

    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly string[] outputNames = [ProbabilitiesOutput];

    private DigitModel(InferenceSession session, ModelCard card, string device)
    {
        this.session = session;
        Card = card;
        Device = device;
        inputNames = [session.InputMetadata.Keys.Single()];
        if (!session.OutputMetadata.ContainsKey(ProbabilitiesOutput))
        {
            throw new InvalidDataException($"Model '{card.Name}' has no '{ProbabilitiesOutput}' output.");
        }
    }

    /// <summary>The model's card.</summary>
    public ModelCard Card { get; }

    /// <summary>The model's name.</summary>
    public string Name => Card.Name;

    /// <summary>The device the session actually runs on: <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; }

    /// <summary>Loads <paramref name="onnxPath"/> into a session built with <paramref name="options"/>.</summary>
    /// <exception cref="OnnxRuntimeException">The file is not a model ONNX Runtime can load.</exception>
    public static DigitModel Load(string onnxPath, ModelCard card, SessionOptions options, string device)
    {
        var model = new DigitModel(new InferenceSession(onnxPath, options), card, device);
        // ONNX Runtime allocates and plans on its first run; do that now rather than in the first request.
        model.Classify(new float[ImageSize]);
        return model;
    }

    /// <summary>The 10 class probabilities of one preprocessed 28×28 image.</summary>
    public float[] Classify(ReadOnlySpan<float> image)
    {
        var probabilities = new float[Classes];
        Classify(image, probabilities);
        return probabilities;
    }

    /// <summary>
    /// Classifies a batch: <paramref name="images"/> holds whole 28×28 images one after another, and
    /// <paramref name="probabilities"/> receives 10 probabilities for each.
    /// </summary>
    /// <exception cref="ArgumentException">The spans' lengths are not a whole batch or do not match.</exception>
    public void Classify(ReadOnlySpan<float> images, Span<float> probabilities)
    {
        int count = images.Length / ImageSize;
        if (count == 0 || images.Length % ImageSize != 0)
        {
            throw new ArgumentException($"Expected a whole number (≥ 1) of {ImageSize}-float images, got {images.Length} floats.", nameof(images));
        }
        if (probabilities.Length != count * Classes)
        {
            throw new ArgumentException($"Expected {count * Classes} floats for {count} images' probabilities, got {probabilities.Length}.", nameof(probabilities));
        }

        float[] buffer = ArrayPool<float>.Shared.Rent(images.Length);
        try
        {
            images.CopyTo(buffer);
            using OrtValue input = OrtValue.CreateTensorValueFromMemory(
                OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, images.Length), [count, 1, ImageSide, ImageSide]);
            using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, inputNames, [input], outputNames);
            outputs[0].GetTensorDataAsSpan<float>().CopyTo(probabilities);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        session.Dispose();
        runOptions.Dispose();
    }
}
