using static Engine.Onnx.ConvNetWeights;

namespace Engine.Onnx;

/// <summary>
/// Exports the baseline digit CNN to ONNX (opset 17) so ONNX Runtime can serve it:
/// <c>image</c> [N,1,28,28] → Conv 5×5 → activation → MaxPool 2×2 → Flatten → Gemm →
/// <c>logits</c> [N,10] and Softmax → <c>probabilities</c> [N,10]. The batch size N is symbolic.
/// </summary>
/// <remarks>
/// Every activation maps to standard ONNX operators only, so the model runs on any execution
/// provider without custom kernels. Training-only behaviour (the noise of <c>noisy_relu</c>)
/// is dropped, as it is at inference time in training code.
/// </remarks>
public static class ConvNetOnnxExporter
{
    /// <summary>Name of the graph input: float images [N, 1, 28, 28], pixels as trained.</summary>
    public const string InputName = "image";

    /// <summary>Name of the graph output holding raw class scores [N, 10].</summary>
    public const string LogitsOutputName = "logits";

    /// <summary>Name of the graph output holding softmax probabilities [N, 10].</summary>
    public const string ProbabilitiesOutputName = "probabilities";

    /// <summary>Symbolic name of the batch dimension of inputs and outputs.</summary>
    public const string BatchDimension = "N";

    /// <summary>The activation ids <see cref="Export"/> accepts.</summary>
    public static IReadOnlyList<string> ActivationIds { get; } =
        Array.AsReadOnly(["relu", "noisy_relu", "leaky_relu", "elu", "softsign", "relu_softsign"]);

    // Slopes fixed by the training code for these activations.
    private const float LeakyReluAlpha = 0.1f;
    private const float EluAlpha = 1.0f;

    /// <summary>Builds the ONNX model for trained weights.</summary>
    /// <param name="weights">The trained parameters.</param>
    /// <param name="activationId">The activation after the convolution; one of <see cref="ActivationIds"/>.</param>
    /// <param name="metadata">Key/value pairs stored in the model's <c>metadata_props</c>, verbatim.</param>
    /// <returns>The bytes of the <c>.onnx</c> model.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="activationId"/> is not one of <see cref="ActivationIds"/>.</exception>
    public static byte[] Export(ConvNetWeights weights, string activationId, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(activationId);
        ArgumentNullException.ThrowIfNull(metadata);
        if (!ActivationIds.Contains(activationId, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Unknown activation '{activationId}'. Valid ids: {string.Join(", ", ActivationIds)}.", nameof(activationId));
        }

        var graph = new OnnxGraphBuilder("digits_convnet");
        OnnxDimension batch = OnnxDimension.Symbolic(BatchDimension);
        graph.AddInput(InputName, batch, 1, ImageSize, ImageSize);

        graph.AddInitializer("conv.weight", [FilterCount, 1, KernelSize, KernelSize], weights.ConvWeight);
        graph.AddInitializer("conv.bias", [FilterCount], weights.ConvBias);
        graph.AddInitializer("dense.weight", [ClassCount, DenseInputLength], weights.DenseWeight);
        graph.AddInitializer("dense.bias", [ClassCount], weights.DenseBias);

        graph.AddNode("Conv", [InputName, "conv.weight", "conv.bias"], ["conv.out"],
            OnnxAttribute.Ints("kernel_shape", KernelSize, KernelSize),
            OnnxAttribute.Ints("strides", 1, 1),
            OnnxAttribute.Ints("pads", 0, 0, 0, 0));
        AddActivation(graph, activationId, "conv.out", "activation.out");
        graph.AddNode("MaxPool", ["activation.out"], ["pool.out"],
            OnnxAttribute.Ints("kernel_shape", PoolSize, PoolSize),
            OnnxAttribute.Ints("strides", PoolSize, PoolSize));
        graph.AddNode("Flatten", ["pool.out"], ["flatten.out"], OnnxAttribute.Int("axis", 1));
        graph.AddNode("Gemm", ["flatten.out", "dense.weight", "dense.bias"], [LogitsOutputName],
            OnnxAttribute.Int("transB", 1));
        graph.AddNode("Softmax", [LogitsOutputName], [ProbabilitiesOutputName], OnnxAttribute.Int("axis", 1));

        graph.AddOutput(LogitsOutputName, batch, ClassCount);
        graph.AddOutput(ProbabilitiesOutputName, batch, ClassCount);
        return graph.ToModelBytes(metadata);
    }

    /// <summary>Builds the ONNX model for trained weights and writes it to a file, replacing any existing one.</summary>
    /// <param name="weights">The trained parameters.</param>
    /// <param name="activationId">The activation after the convolution; one of <see cref="ActivationIds"/>.</param>
    /// <param name="metadata">Key/value pairs stored in the model's <c>metadata_props</c>, verbatim.</param>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="activationId"/> is not one of <see cref="ActivationIds"/>, or <paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void ExportToFile(ConvNetWeights weights, string activationId, IReadOnlyDictionary<string, string> metadata, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Build first, so a bad argument never leaves a truncated file behind.
        byte[] model = Export(weights, activationId, metadata);
        File.WriteAllBytes(path, model);
    }

    private static void AddActivation(OnnxGraphBuilder graph, string activationId, string input, string output)
    {
        switch (activationId)
        {
            case "relu":
            case "noisy_relu":
                graph.AddNode("Relu", [input], [output]);
                break;
            case "leaky_relu":
                graph.AddNode("LeakyRelu", [input], [output], OnnxAttribute.Float("alpha", LeakyReluAlpha));
                break;
            case "elu":
                graph.AddNode("Elu", [input], [output], OnnxAttribute.Float("alpha", EluAlpha));
                break;
            case "softsign":
                graph.AddNode("Softsign", [input], [output]);
                break;
            case "relu_softsign":
                // x for x >= 0, x/(1+|x|) for x < 0, as Relu(x) + Softsign(Min(x, 0)). Each branch
                // adds an exact zero on the other side (Relu of a negative, Softsign(0)), so the sum
                // is bit-identical to the piecewise definition.
                graph.AddInitializer("relu_softsign.zero", [], [0f]);
                graph.AddNode("Relu", [input], ["relu_softsign.positive"]);
                graph.AddNode("Min", [input, "relu_softsign.zero"], ["relu_softsign.clamped"]);
                graph.AddNode("Softsign", ["relu_softsign.clamped"], ["relu_softsign.negative"]);
                graph.AddNode("Add", ["relu_softsign.positive", "relu_softsign.negative"], [output]);
                break;
            default:
                throw new ArgumentException($"Unknown activation '{activationId}'.", nameof(activationId));
        }
    }
}
