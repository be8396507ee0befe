using System.Diagnostics.CodeAnalysis;
using Engine.Activations;
using Engine.Networks;
using Google.Protobuf;
using Onnx;

namespace Engine.Onnx;

/// <summary>
/// Reads an ONNX model back into a managed <see cref="Network"/>: the inverse of the Training project's <c>NetworkOnnxExporter</c>,
/// for any graph with the same layers, whoever wrote it.
/// </summary>
/// <remarks>
/// The graph must be one of <see cref="NetworkArchitecture.Known"/> written with standard operators: Conv, the
/// activation of any of <see cref="ActivationFunctions.All"/> in the form its operator declares (Relu, LeakyRelu
/// with alpha 0.1, Elu with alpha 1, Softsign, Relu(x) + Softsign(Min(x, 0)) for ReLU–Softsign, GELU's tanh
/// expression, x·Sigmoid(x) for SiLU, PRelu with a slope per unit, Selu with its standard constants), LRN,
/// MaxPool 2×2 with stride 2, Flatten and Gemm with transposed weights, ending in Softmax over the classes; input
/// float [N, 1, 28, 28]. Architecture and weights come from the graph alone. The one thing a graph cannot show is
/// training-only behaviour: a plain Relu is <c>noisy_relu</c> when the model's <c>activation</c> metadata says so
/// (the two are identical at inference), <c>relu</c> otherwise. Weights and slopes are read from <c>raw_data</c> or
/// <c>float_data</c> and reordered from ONNX's channels-first layout to the network's channels-last one, bit for bit.
/// </remarks>
public static class OnnxNetworkImporter
{
    /// <summary>The <c>metadata_props</c> key naming the model's activation id.</summary>
    public const string ActivationMetadataKey = "activation";

    /// <summary>Builds the network an ONNX model describes.</summary>
    /// <param name="model">The bytes of an <c>.onnx</c> file.</param>
    /// <returns>The network, with the model's weights.</returns>
    /// <exception cref="InvalidDataException">
    /// The bytes are not an ONNX model, or its graph is not a network the managed backend runs; the message says why.
    /// </exception>
    public static Network Import(ReadOnlySpan<byte> model) =>
        TryImport(model, out Network? network, out string? reason)
            ? network
            : throw new InvalidDataException($"The ONNX model cannot run on the managed backend: {reason}.");

    /// <summary>Builds the network the ONNX model in a file describes.</summary>
    /// <param name="path">The path of an <c>.onnx</c> file.</param>
    /// <returns>The network, with the model's weights.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">As <see cref="Import(ReadOnlySpan{byte})"/>.</exception>
    public static Network Import(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Import(File.ReadAllBytes(path));
    }

    /// <summary>Builds the network an ONNX model describes, or says why it cannot.</summary>
    /// <param name="model">The bytes of an <c>.onnx</c> file.</param>
    /// <param name="network">The network, when the model is one the managed backend runs.</param>
    /// <param name="reason">
    /// Otherwise a short phrase naming the first thing not recognised, such as
    /// <c>node 3 'Tanh' is not an activation the managed backend runs</c>.
    /// </param>
    /// <returns>Whether the model was imported. Malformed bytes give <see langword="false"/>, never an exception.</returns>
    public static bool TryImport(ReadOnlySpan<byte> model, [NotNullWhen(true)] out Network? network, [NotNullWhen(false)] out string? reason)
    {
        network = null;
        try
        {
            if (model.IsEmpty)
            {
                reason = "the file is empty";
                return false;
            }
            network = Build(ModelProto.Parser.ParseFrom(model));
            reason = null;
            return true;
        }
        catch (InvalidProtocolBufferException error)
        {
            reason = $"the bytes are not an ONNX model ({error.Message.TrimEnd('.')})";
        }
        catch (InvalidDataException error)
        {
            reason = error.Message;
        }
        return false;
    }

    private static Network Build(ModelProto model)
    {
        (string activationId, IReadOnlyList<ImportedLayer> layers) = OnnxLayerReader.Read(model);
        ActivationFunction activation = ActivationFunctions.Get(activationId);
        // Activations that differ only while training have one form in a graph: the metadata may name the other.
        string? named = model.MetadataProps.FirstOrDefault(static p => p.Key == ActivationMetadataKey)?.Value;
        if (named is not null && ActivationFunctions.TryGet(named, out ActivationFunction? labelled)
            && labelled.OnnxForm.Description == activation.OnnxForm.Description)
        {
            activation = labelled;
        }

        string? closest = null;
        int closestAt = -1;
        foreach (NetworkArchitecture architecture in NetworkArchitecture.Known)
        {
            // Dropout has no ONNX form: it does nothing at inference.
            Layer[] expected = [.. architecture.Build(activation).Where(static l => l is not DropoutLayer)];
            int mismatch = FirstMismatch(expected, layers);
            if (mismatch < 0)
            {
                return Network.FromParameters(architecture, activation, Parameters(architecture, activation, layers));
            }
            if (mismatch > closestAt)
            {
                closestAt = mismatch;
                closest = mismatch >= layers.Count
                    ? $"the graph stops after {layers.Count} layers where the {architecture.Name} network goes on with {ImportedLayer.Describe(expected[mismatch])}"
                    : mismatch >= expected.Length
                        ? $"node {layers[mismatch].Node} adds {layers[mismatch]} after the last layer of the {architecture.Name} network"
                        : $"node {layers[mismatch].Node} is {layers[mismatch]} where the {architecture.Name} network has {ImportedLayer.Describe(expected[mismatch])}";
            }
        }
        throw new InvalidDataException($"the layers match no known network: {closest}");
    }

    /// <summary>The index of the first layer that differs, or -1 when the two lists describe the same network.</summary>
    private static int FirstMismatch(Layer[] expected, IReadOnlyList<ImportedLayer> actual)
    {
        for (int i = 0; i < Math.Min(expected.Length, actual.Count); i++)
        {
            bool same = (expected[i], actual[i]) switch
            {
                (ConvolutionLayer conv, ImportedConvolution imported) =>
                    conv.Input == imported.Input && conv.Kernel == imported.Kernel && conv.Filters == imported.Filters && conv.Padding == imported.Padding,
                // The reader has checked that every activation is the network's.
                (ActivationLayer, ImportedActivation) => true,
                (LocalResponseNormalizationLayer lrn, ImportedNormalization imported) =>
                    lrn.Size == imported.Size && lrn.Alpha == imported.Alpha && lrn.Beta == imported.Beta && lrn.Bias == imported.Bias,
                (MaxPoolLayer pool, ImportedPooling imported) => pool.Input == imported.Input,
                (DenseLayer dense, ImportedDense imported) => dense.Input == imported.Input && dense.Units == imported.Units,
                _ => false,
            };
            if (!same)
            {
                return i;
            }
        }
        return expected.Length == actual.Count ? -1 : Math.Min(expected.Length, actual.Count);
    }

    /// <summary>
    /// The network's flat parameter array: each layer's weights, reordered to channels-last, then its biases, at
    /// the layer's <see cref="Layer.ParameterOffset"/> in a network of the architecture.
    /// </summary>
    private static float[] Parameters(NetworkArchitecture architecture, ActivationFunction activation, IReadOnlyList<ImportedLayer> imported)
    {
        int count = imported.Sum(static l => l switch
        {
            ImportedConvolution conv => conv.Weight.Length + conv.Bias.Length,
            ImportedDense dense => dense.Weight.Length + dense.Bias.Length,
            ImportedActivation { Slopes: { } slopes } => slopes.Length,
            _ => 0,
        });
        // A throwaway network of zeros: its layers say where their parameters start, its array is filled in and copied.
        Network layout = Network.FromParameters(architecture, activation, new float[count]);
        Layer[] layers = [.. layout.Layers.Where(static l => l is not DropoutLayer)];
        float[] parameters = layout.Parameters;
        for (int i = 0; i < layers.Length; i++)
        {
            Span<float> destination = parameters.AsSpan(layers[i].ParameterOffset, layers[i].ParameterCount);
            switch (imported[i])
            {
                case ImportedConvolution conv:
                    ChannelsFirstLayout.ConvolutionFromOnnx(conv.Weight, destination[..conv.Weight.Length], conv.Filters, conv.Input.Channels, conv.Kernel);
                    conv.Bias.CopyTo(destination[conv.Weight.Length..]);
                    break;
                case ImportedDense dense:
                    ChannelsFirstLayout.DenseFromOnnx(dense.Weight, destination[..dense.Weight.Length], dense.Input, dense.Units);
                    dense.Bias.CopyTo(destination[dense.Weight.Length..]);
                    break;
                case ImportedActivation { Slopes: { } slopes }:
                    // One per channel: the same order channels-first and channels-last.
                    slopes.CopyTo(destination);
                    break;
            }
        }
        return parameters;
    }
}
