using System.Buffers;
using Microsoft.ML.OnnxRuntime;

namespace Engine.Inference;

/// <summary>
/// Runs a model in ONNX Runtime: one long-lived session, shared by every request
/// (<see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, and every call rents its own buffers).
/// </summary>
public sealed class OnnxRuntimeBackend : IInferenceBackend
{
    private const string ProbabilitiesOutput = "probabilities";

    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly string[] outputNames = [ProbabilitiesOutput];

    private OnnxRuntimeBackend(InferenceSession session, string device)
    {
        this.session = session;
        Device = device;
        inputNames = [session.InputMetadata.Keys.Single()];
        if (!session.OutputMetadata.ContainsKey(ProbabilitiesOutput))
        {
            session.Dispose();
            runOptions.Dispose();
            throw new InvalidDataException($"The graph has no '{ProbabilitiesOutput}' output.");
        }
    }

    /// <inheritdoc />
    public string Name => Device == InferenceDevice.Cuda ? InferenceBackends.OnnxRuntimeCuda : InferenceBackends.OnnxRuntime;

    /// <inheritdoc />
    public string Device { get; }

    /// <summary>Loads the ONNX model <paramref name="model"/> into a session built with <paramref name="options"/>.</summary>
    /// <param name="model">The bytes of the <c>.onnx</c> file.</param>
    /// <param name="options">Session options, e.g. from <see cref="InferenceDevice.CreateSessionOptions"/>.</param>
    /// <param name="device">The device <paramref name="options"/> actually selects.</param>
    /// <exception cref="OnnxRuntimeException">The bytes are not a model ONNX Runtime can load.</exception>
    /// <exception cref="InvalidDataException">The model has no <c>probabilities</c> output.</exception>
    public static OnnxRuntimeBackend Load(byte[] model, SessionOptions options, string device)
    {
        var backend = new OnnxRuntimeBackend(new InferenceSession(model, options), device);
        // ONNX Runtime allocates and plans on its first run; do that now rather than in the first request.
        backend.Classify(new float[DigitModel.ImageSize], new float[DigitModel.Classes]);
        return backend;
    }

    /// <summary>Loads the ONNX file at <paramref name="path"/>; see <see cref="Load(byte[], SessionOptions, string)"/>.</summary>
    public static OnnxRuntimeBackend Load(string path, SessionOptions options, string device) =>
        Load(File.ReadAllBytes(path), options, device);

    /// <inheritdoc />
    public void Classify(ReadOnlySpan<float> images, Span<float> probabilities)
    {
        int count = images.Length / DigitModel.ImageSize;
        if (count == 0 || images.Length % DigitModel.ImageSize != 0)
        {
            throw new ArgumentException($"Expected a whole number (≥ 1) of {DigitModel.ImageSize}-float images, got {images.Length} floats.", nameof(images));
        }
        if (probabilities.Length != count * DigitModel.Classes)
        {
            throw new ArgumentException($"Expected {count * DigitModel.Classes} floats for {count} images' probabilities, got {probabilities.Length}.", nameof(probabilities));
        }

        float[] buffer = ArrayPool<float>.Shared.Rent(images.Length);
        try
        {
            images.CopyTo(buffer);
            using OrtValue input = OrtValue.CreateTensorValueFromMemory(
                OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, images.Length), [count, 1, DigitModel.ImageSide, DigitModel.ImageSide]);
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
