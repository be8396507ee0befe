using Engine.Networks;

namespace Engine.Onnx;

/// <summary>
/// Exports a trained <see cref="Network"/> to ONNX (opset 17) so ONNX Runtime can serve it:
/// <c>image</c> [N,1,28,28] → the layers → <c>logits</c> [N,10] and Softmax → <c>probabilities</c> [N,10].
/// The batch size N is symbolic.
/// </summary>
/// <remarks>
/// Every layer maps to standard ONNX operators only (Conv, the activation's operators, LRN, MaxPool,
/// Flatten, Gemm), so the model runs on any execution provider. Training-only behaviour (dropout, the noise
/// of <c>noisy_relu</c>) is dropped, as the managed network drops it at inference. The network computes
/// channels-last and ONNX is channels-first, so weights are reordered on the way out.
/// </remarks>
public static class NetworkOnnxExporter
{
    /// <summary>Name of the graph input: float images [N, 1, 28, 28], pixels as trained.</summary>
    public const string InputName = "image";

    /// <summary>Name of the graph output holding raw class scores [N, 10].</summary>
    public const string LogitsOutputName = "logits";

    /// <summary>Name of the graph output holding softmax probabilities [N, 10].</summary>
    public const string ProbabilitiesOutputName = "probabilities";

    /// <summary>Symbolic name of the batch dimension of inputs and outputs.</summary>
    public const string BatchDimension = "N";

    /// <summary>The activation ids the exporter can write.</summary>
    public static IReadOnlyList<string> ActivationIds { get; } =
        Array.AsReadOnly(["relu", "noisy_relu", "leaky_relu", "elu", "softsign", "relu_softsign"]);

    // Slopes fixed by the training code for these activations.
    internal const float LeakyReluAlpha = 0.1f;
    internal const float EluAlpha = 1.0f;

    /// <summary>Builds the ONNX model of <paramref name="network"/>.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="metadata">Key/value pairs stored in the model's <c>metadata_props</c>, verbatim.</param>
    /// <returns>The bytes of the <c>.onnx</c> model.</returns>
    /// <exception cref="ArgumentException">The network's activation is not one of <see cref="ActivationIds"/>, or a layer has no ONNX form.</exception>
    public static byte[] Export(Network network, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(metadata);
        if (!ActivationIds.Contains(network.Activation.Id, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Activation '{network.Activation.Id}' has no ONNX export. Valid ids: {string.Join(", ", ActivationIds)}.", nameof(network));
        }

        var graph = new OnnxGraphBuilder($"digits_{network.Architecture.Name}");
        OnnxDimension batch = OnnxDimension.Symbolic(BatchDimension);
        FeatureShape input = network.Layers[0].Input;
        graph.AddInput(InputName, batch, input.Channels, input.Height, input.Width);

        string current = InputName;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            Layer layer = network.Layers[i];
            ReadOnlySpan<float> parameters = network.Parameters.AsSpan(layer.ParameterOffset, layer.ParameterCount);
            string output = i == network.Layers.Count - 1 ? LogitsOutputName : layer.Name + ".out";
            current = layer switch
            {
                ConvolutionLayer conv => AddConvolution(graph, conv, parameters, current, output),
                ActivationLayer activation => AddActivation(graph, activation.Function.Id, activation.Name, current, output),
                LocalResponseNormalizationLayer lrn => AddNormalization(graph, lrn, current, output),
                MaxPoolLayer => AddPooling(graph, current, output),
                DropoutLayer => current,
                DenseLayer dense => AddDense(graph, dense, parameters, current, output),
                _ => throw new ArgumentException($"Layer {layer.Name} ({layer.GetType().Name}) has no ONNX form.", nameof(network)),
            };
        }
        if (current != LogitsOutputName)
        {
            graph.AddNode("Identity", [current], [LogitsOutputName]);
        }
        graph.AddNode("Softmax", [LogitsOutputName], [ProbabilitiesOutputName], OnnxAttribute.Int("axis", 1));

        graph.AddOutput(LogitsOutputName, batch, network.Classes);
        graph.AddOutput(ProbabilitiesOutputName, batch, network.Classes);
        return graph.ToModelBytes(metadata);
    }

    /// <summary>Builds the ONNX model and writes it to a file, replacing any existing one.</summary>
    /// <exception cref="ArgumentException">As <see cref="Export"/>, or <paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void ExportToFile(Network network, IReadOnlyDictionary<string, string> metadata, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Build first, so a bad argument never leaves a truncated file behind.
        byte[] model = Export(network, metadata);
        File.WriteAllBytes(path, model);
    }

    private static string AddConvolution(OnnxGraphBuilder graph, ConvolutionLayer conv, ReadOnlySpan<float> parameters, string input, string output)
    {
        int k = conv.Kernel;
        int channels = conv.Input.Channels;
        float[] weight = ChannelsFirstLayout.ConvolutionToOnnx(parameters[..(conv.Taps * conv.Filters)], conv.Filters, channels, k);
        graph.AddInitializer(conv.Name + ".weight", [conv.Filters, channels, k, k], weight);
        graph.AddInitializer(conv.Name + ".bias", [conv.Filters], parameters.Slice(conv.Taps * conv.Filters, conv.Filters));
        graph.AddNode("Conv", [input, conv.Name + ".weight", conv.Name + ".bias"], [output],
            OnnxAttribute.Ints("kernel_shape", k, k),
            OnnxAttribute.Ints("strides", 1, 1),
            OnnxAttribute.Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding));
        return output;
    }

    private static string AddNormalization(OnnxGraphBuilder graph, LocalResponseNormalizationLayer lrn, string input, string output)
    {
        graph.AddNode("LRN", [input], [output],
            OnnxAttribute.Int("size", lrn.Size), OnnxAttribute.Float("alpha", lrn.Alpha),
            OnnxAttribute.Float("beta", lrn.Beta), OnnxAttribute.Float("bias", lrn.Bias));
        return output;
    }

    private static string AddPooling(OnnxGraphBuilder graph, string input, string output)
    {
        graph.AddNode("MaxPool", [input], [output],
            OnnxAttribute.Ints("kernel_shape", MaxPoolLayer.Window, MaxPoolLayer.Window),
            OnnxAttribute.Ints("strides", MaxPoolLayer.Window, MaxPoolLayer.Window));
        return output;
    }

    private static string AddDense(OnnxGraphBuilder graph, DenseLayer dense, ReadOnlySpan<float> parameters, string input, string output)
    {
        FeatureShape shape = dense.Input;
        if (shape.Height != 1 || shape.Width != 1)
        {
            graph.AddNode("Flatten", [input], [dense.Name + ".flat"], OnnxAttribute.Int("axis", 1));
            input = dense.Name + ".flat";
        }
        int inputs = shape.Size;
        float[] weight = ChannelsFirstLayout.DenseToOnnx(parameters[..(inputs * dense.Units)], shape, dense.Units);
        graph.AddInitializer(dense.Name + ".weight", [dense.Units, inputs], weight);
        graph.AddInitializer(dense.Name + ".bias", [dense.Units], parameters.Slice(inputs * dense.Units, dense.Units));
        graph.AddNode("Gemm", [input, dense.Name + ".weight", dense.Name + ".bias"], [output], OnnxAttribute.Int("transB", 1));
        return output;
    }

    private static string AddActivation(OnnxGraphBuilder graph, string activationId, string prefix, string input, string output)
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
                // x for x >= 0, x/(1+|x|) for x < 0, as Relu(x) + Softsign(Min(x, 0)). Each branch adds an
                // exact zero on the other side (Relu of a negative, Softsign(0)), so the sum is bit-identical
                // to the piecewise definition.
                graph.AddInitializer($"{prefix}.zero", [], [0f]);
                graph.AddNode("Relu", [input], [$"{prefix}.positive"]);
                graph.AddNode("Min", [input, $"{prefix}.zero"], [$"{prefix}.clamped"]);
                graph.AddNode("Softsign", [$"{prefix}.clamped"], [$"{prefix}.negative"]);
                graph.AddNode("Add", [$"{prefix}.positive", $"{prefix}.negative"], [output]);
                break;
            default:
                throw new ArgumentException($"Unknown activation '{activationId}'.", nameof(activationId));
        }
        return output;
    }
}
