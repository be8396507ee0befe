using Engine.Networks;

namespace Engine.Inference;

/// <summary>
/// Runs a model on the project's own network: the layers and weights imported from its ONNX graph, the
/// forward pass on the SIMD activation kernels and the register-tiled GEMM.
/// </summary>
/// <param name="network">The imported network.</param>
/// <param name="maxDegreeOfParallelism">Cores one batch may use: 1 (the service's default: requests already keep every core
/// busy) or −1 for all.</param>
public sealed class ManagedBackend(Network network, int maxDegreeOfParallelism = 1) : IInferenceBackend
{
    /// <summary>The imported network.</summary>
    public Network Network { get; } = network;

    /// <inheritdoc />
    public string Name => InferenceBackends.Managed;

    /// <inheritdoc />
    public string Device => InferenceDevice.Cpu;

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
        Network.Classify(images, probabilities, maxDegreeOfParallelism);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
