using Engine.Activations;
using Engine.Networks;
using Engine.Onnx;

namespace Training.Onnx;

/// <summary>
/// Exports a trained <see cref="Network"/> to ONNX (opset 17) so ONNX Runtime can serve it:
/// <c>image</c> [N,1,28,28] → the layers → <c>logits</c> [N,10] and Softmax → <c>probabilities</c> [N,10].
/// The batch size N is symbolic.
/// </summary>
/// <remarks>
/// Every layer maps to standard ONNX operators only (Conv, the activation's operators as its operator file
/// declares them, LRN, MaxPool, Flatten, Gemm), so the model runs on any execution provider. Training-only
/// behaviour (dropout, the noise of <c>noisy_relu</c>) is dropped, as the managed network drops it at inference.
/// The network computes channels-last and ONNX is channels-first, so weights are reordered on the way out; a
/// learned slope per unit (PReLU) becomes an initializer of shape [C, 1, 1] after a convolution and [units] after a
/// fully connected layer, the shapes ONNX broadcasting needs against [N, C, H, W] and [N, units].
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

    /// <summary>The activation ids the exporter can write: every activation of <see cref="ActivationFunctions.All"/>.</summary>
    public static IReadOnlyList<string> ActivationIds { get; } = [.. ActivationFunctions.All.Select(static a => a.Id)];

    /// <summary>Builds the ONNX model of <paramref name="network"/>.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="metadata">Key/value pairs stored in the model's <c>metadata_props</c>, verbatim.</param>
    /// <returns>The bytes of the <c>.onnx</c> model.</returns>
    /// <exception cref="ArgumentException">A layer has no ONNX form.</exception>
    public static byte[] Export(Network network, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(metadata);

        var graph = new OnnxGraphBuilder($"digits_{network.Architecture.Name}");
        OnnxDimension batch = OnnxDimension.Symbolic(BatchDimension);
        FeatureShape input = network.Layers[0].Input;
        graph.AddInput(InputName, batch, input.Channels, input.Height, input.Width);

        string current = InputName;
        bool flat = false;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            Layer layer = network.Layers[i];
            ReadOnlySpan<float> parameters = network.Parameters.AsSpan(layer.ParameterOffset, layer.ParameterCount);
            string output = i == network.Layers.Count - 1 ? LogitsOutputName : layer.Name + ".out";
            current = layer switch
            {
                ConvolutionLayer conv => AddConvolution(graph, conv, parameters, current, output),
                ActivationLayer activation => AddActivation(graph, activation, parameters, flat, current, output),
                LocalResponseNormalizationLayer lrn => AddNormalization(graph, lrn, current, output),
                MaxPoolLayer => AddPooling(graph, current, output),
                DropoutLayer => current,
                DenseLayer dense => AddDense(graph, dense, parameters, current, output),
                _ => throw new ArgumentException($"Layer {layer.Name} ({layer.GetType().Name}) has no ONNX form.", nameof(network)),
            };
            // From the first fully connected layer on, values are [N, units] rather than [N, C, H, W].
            flat |= layer is DenseLayer;
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

    private static string AddActivation(OnnxGraphBuilder graph, ActivationLayer layer, ReadOnlySpan<float> slopes, bool flat, string input, string output)
    {
        FeatureShape shape = layer.Output;
        int[] slopeDimensions = flat ? [shape.Size] : [shape.Channels, 1, 1];
        layer.Function.OnnxForm.Write(graph, layer.Name, input, output, slopes, slopeDimensions);
        return output;
    }

    /// <summary>
    /// A model of <paramref name="activation"/> alone: input <c>x</c> and output <c>y</c>, float vectors of
    /// <paramref name="length"/>, computed by the activation's ONNX operators with a learned slope at its initial
    /// value, so ONNX Runtime can be timed on just the activation.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static byte[] ExportActivation(ActivationFunction activation, int length)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var graph = new OnnxGraphBuilder($"{activation.Id}_operator");
        graph.AddInput("x", length);
        graph.AddOutput("y", length);
        float[] slope = activation.InitialSlope is float initial ? [initial] : [];
        activation.OnnxForm.Write(graph, activation.Id, "x", "y", slope, [1]);
        return graph.ToModelBytes(new Dictionary<string, string>());
    }

    /// <summary>
    /// The ONNX operators of <paramref name="activation"/> as an expression, e.g. <c>LeakyRelu(alpha = 0.1)</c> or
    /// <c>Add(Relu(x), Softsign(Min(x, 0))) — 4 nodes</c>, and how many nodes they are.
    /// </summary>
    public static (string Description, int Nodes) DescribeActivation(ActivationFunction activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        return (activation.OnnxForm.Description, activation.OnnxForm.Nodes.Count);
    }
}
