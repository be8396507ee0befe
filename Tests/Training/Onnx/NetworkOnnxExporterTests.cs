using System.Buffers.Binary;
using Engine.Activations;
using Engine.Networks;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Tests.Training.Data;
using Tests.Training.Pipeline;
using Training.Onnx;
using Training.Pipeline;

namespace Tests.Training.Onnx;

/// <summary>
/// The exported model, run by ONNX Runtime, against the managed network it was exported from: the network
/// is the reference (its layers are checked against the definitions in Tests/Engine/Networks), so any
/// difference is the export's — a weight reordered wrongly, a padding, an activation's constant.
/// </summary>
public class NetworkOnnxExporterTests
{
    private const int DigitCount = 64;
    private static readonly Dictionary<string, string> NoMetadata = [];
    private static readonly Lazy<PreparedDigits> Digits = new(() => MnistSubsets.Spread(TestMnist.Load().Test, DigitCount));

    public static TheoryData<string, string> ArchitecturesAndActivations()
    {
        var data = new TheoryData<string, string>();
        foreach (NetworkArchitecture architecture in NetworkArchitecture.Known)
        {
            foreach (string id in NetworkOnnxExporter.ActivationIds)
            {
                data.Add(architecture.Name, id);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ArchitecturesAndActivations))]
    public void ExportedModel_GivesTheNetworksLogitsAndProbabilities_OnRealDigits(string architecture, string activationId)
    {
        Network network = RandomNetwork(NetworkArchitecture.Get(architecture), ActivationFunctions.Get(activationId), seed: 17);
        PreparedDigits digits = Digits.Value;
        // Both signs must reach the activations, or a wrong negative branch would go unnoticed.
        NetworkWorkspace workspace = network.CreateWorkspace(DigitCount);
        network.Forward(digits.Images, DigitCount, workspace);
        float[] expectedLogits = workspace.Logits.ToArray();
        for (int i = 0; i < network.Layers.Count; i++)
        {
            if (network.Layers[i] is ActivationLayer)
            {
                float[] preActivation = workspace.Output(i - 1).ToArray();
                Assert.InRange(preActivation.Count(v => v < 0) / (double)preActivation.Length, 0.05, 0.95);
            }
        }
        var expectedProbabilities = new float[DigitCount * network.Classes];
        network.Classify(digits.Images, expectedProbabilities);

        using var session = new InferenceSession(NetworkOnnxExporter.Export(network, NoMetadata));
        (float[] logits, float[] probabilities) = Run(session, digits.Images, DigitCount);

        for (int i = 0; i < logits.Length; i++)
        {
            Assert.True(
                Math.Abs(expectedLogits[i] - logits[i]) <= 1e-4 * Math.Max(1, Math.Abs(expectedLogits[i])),
                $"logit {i}: network {expectedLogits[i]}, ONNX {logits[i]}");
            Assert.True(
                Math.Abs(expectedProbabilities[i] - probabilities[i]) <= 1e-4,
                $"probability {i}: network {expectedProbabilities[i]}, ONNX {probabilities[i]}");
        }
        for (int n = 0; n < DigitCount; n++)
        {
            float[] expected = expectedProbabilities[(n * 10)..((n + 1) * 10)];
            float[] actual = probabilities[(n * 10)..((n + 1) * 10)];
            float[] sorted = [.. expected.OrderDescending()];
            // A near-tie can go either way in float32; a clear winner must be the same.
            if (sorted[0] - sorted[1] > 1e-5f)
            {
                Assert.Equal(Array.IndexOf(expected, sorted[0]), Array.IndexOf(actual, actual.Max()));
            }
        }
    }

    [Theory]
    [InlineData("elu")]
    [InlineData("relu_softsign")]
    public void ExportedModel_OfOtherLayerSettings_GivesTheNetworksLogits(string activationId)
    {
        // The article's networks use only 5×5 kernels, near-identity LRN and even pooling; this one has a 3×3
        // kernel with padding 1, strong LRN with both exponent paths, pooling of an odd size and dropout.
        var architecture = new NetworkArchitecture("custom", "conv 3×3×4 → LRN(3, α = 2) → pool → conv 3×3×3 → LRN(5, β = 0.6) → pool → pool → dense 6 → dropout → dense 10", activation =>
        {
            var conv1 = new ConvolutionLayer("conv1", new FeatureShape(28, 28, 1), filters: 4, kernel: 3, padding: 1);
            var act1 = new ActivationLayer(conv1, activation);
            var norm1 = new LocalResponseNormalizationLayer("lrn1", act1.Output, size: 3, alpha: 2f, beta: 0.75f, bias: 1f);
            var pool1 = new MaxPoolLayer("pool1", norm1.Output);
            var conv2 = new ConvolutionLayer("conv2", pool1.Output, filters: 3, kernel: 3, padding: 1);
            var act2 = new ActivationLayer(conv2, activation);
            var norm2 = new LocalResponseNormalizationLayer("lrn2", act2.Output, size: 5, alpha: 1.5f, beta: 0.6f, bias: 2f);
            var pool2 = new MaxPoolLayer("pool2", norm2.Output);
            var pool3 = new MaxPoolLayer("pool3", pool2.Output);
            var dense1 = new DenseLayer("dense1", pool3.Output, 6);
            var act3 = new ActivationLayer(dense1, activation);
            var dropout = new DropoutLayer("dropout1", act3.Output, 0.5f);
            return [conv1, act1, norm1, pool1, conv2, act2, norm2, pool2, pool3, dense1, act3, dropout, new DenseLayer("dense2", dropout.Output, 10)];
        });
        Network network = RandomNetwork(architecture, ActivationFunctions.Get(activationId), seed: 23);
        Assert.Equal(new FeatureShape(3, 3, 3), network.Layers[8].Output);
        PreparedDigits digits = Digits.Value;
        NetworkWorkspace workspace = network.CreateWorkspace(DigitCount);
        network.Forward(digits.Images, DigitCount, workspace);

        using var session = new InferenceSession(NetworkOnnxExporter.Export(network, NoMetadata));
        (float[] logits, _) = Run(session, digits.Images, DigitCount);

        for (int i = 0; i < logits.Length; i++)
        {
            Assert.True(
                Math.Abs(workspace.Logits[i] - logits[i]) <= 1e-4 * Math.Max(1, Math.Abs(workspace.Logits[i])),
                $"logit {i}: network {workspace.Logits[i]}, ONNX {logits[i]}");
        }
    }

    [Theory]
    [InlineData("baseline")]
    [InlineData("enhanced")]
    public void BatchDimension_IsSymbolic(string architecture)
    {
        Network network = RandomNetwork(NetworkArchitecture.Get(architecture), ActivationFunctions.Relu, seed: 3);
        using var session = new InferenceSession(NetworkOnnxExporter.Export(network, NoMetadata));

        NodeMetadata input = session.InputMetadata[NetworkOnnxExporter.InputName];
        Assert.Equal([-1, 1, 28, 28], input.Dimensions);
        Assert.Equal(NetworkOnnxExporter.BatchDimension, input.SymbolicDimensions[0]);
        Assert.Equal([-1, 10], session.OutputMetadata[NetworkOnnxExporter.LogitsOutputName].Dimensions);
        Assert.Equal([-1, 10], session.OutputMetadata[NetworkOnnxExporter.ProbabilitiesOutputName].Dimensions);
        Assert.Equal(NetworkOnnxExporter.BatchDimension, session.OutputMetadata[NetworkOnnxExporter.ProbabilitiesOutputName].SymbolicDimensions[0]);

        float[] fiveImages = Digits.Value.Images[..(5 * 784)];
        (float[] single, _) = Run(session, fiveImages[..784], batch: 1);
        (float[] five, float[] fiveProbabilities) = Run(session, fiveImages, batch: 5);

        // The first image must score the same alone as in a batch.
        for (int k = 0; k < 10; k++)
        {
            Assert.Equal(single[k], five[k], 1e-5f * Math.Max(1, Math.Abs(single[k])));
        }
        for (int n = 0; n < 5; n++)
        {
            Assert.Equal(1.0, fiveProbabilities[(n * 10)..((n + 1) * 10)].Sum(), 1e-5);
        }
    }

    [Theory]
    [InlineData("baseline")]
    [InlineData("enhanced")]
    public void Metadata_RoundTripsThroughOnnxRuntime(string architecture)
    {
        var metadata = new Dictionary<string, string>
        {
            ["activation"] = "elu",
            ["trained_at"] = "2025-01-02T03:04:05Z",
            ["accuracy"] = "0.9912",
            ["note"] = "ünïcødé ✓",
        };
        Network network = Network.Create(NetworkArchitecture.Get(architecture), ActivationFunctions.Elu, seed: 1);

        using var session = new InferenceSession(NetworkOnnxExporter.Export(network, metadata));

        ModelMetadata read = session.ModelMetadata;
        Assert.Equal(metadata.OrderBy(p => p.Key), read.CustomMetadataMap.OrderBy(p => p.Key));
        Assert.Equal(OnnxGraphBuilder.ProducerName, read.ProducerName);
        Assert.Equal($"digits_{architecture}", read.GraphName);
    }

    [Fact]
    public void Model_DeclaresIrVersionAndOpset17InItsBytes()
    {
        byte[] model = NetworkOnnxExporter.Export(Network.Create(NetworkArchitecture.Enhanced, ActivationFunctions.Relu, seed: 1), NoMetadata);

        ModelProto read = ModelProto.Parser.ParseFrom(model);

        Assert.Equal(8, read.IrVersion);
        Assert.Equal("digits-engine", read.ProducerName);
        OperatorSetIdProto opset = Assert.Single(read.OpsetImport);
        // The empty domain is the default ai.onnx operator set.
        Assert.Equal("", opset.Domain);
        Assert.Equal(17, opset.Version);
        Assert.Equal([NetworkOnnxExporter.InputName], read.Graph.Input.Select(i => i.Name));
        Assert.Equal([NetworkOnnxExporter.LogitsOutputName, NetworkOnnxExporter.ProbabilitiesOutputName], read.Graph.Output.Select(o => o.Name));
    }

    [Fact]
    public void Initializers_AreLittleEndianRawFloatsOfTheDeclaredShape()
    {
        Network network = RandomNetwork(NetworkArchitecture.Baseline, ActivationFunctions.Relu, seed: 5);

        GraphProto graph = ModelProto.Parser.ParseFrom(NetworkOnnxExporter.Export(network, NoMetadata)).Graph;

        TensorProto bias = Assert.Single(graph.Initializer, t => t.Name == "conv1.bias");
        Assert.Equal((int)TensorProto.Types.DataType.Float, bias.DataType);
        Assert.Equal([20L], bias.Dims);
        Assert.Empty(bias.FloatData);
        byte[] raw = bias.RawData.ToByteArray();
        ParameterTensor expected = network.Tensors.Single(t => t.Name == "conv1.bias");
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(network.Parameters[expected.Offset + i], BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4)));
        }
        Assert.Equal([10L, 12 * 12 * 20], Assert.Single(graph.Initializer, t => t.Name == "dense1.weight").Dims);
    }

    [Fact]
    public void ReluSoftsign_IsExactlyIdentityAboveZeroAndSoftsignBelow()
    {
        // Zero kernels and a blank image make each conv1 channel a constant map equal to its bias, and dense1's
        // unit k reads channel k at the first position only, so logit k is exactly activation(probe k).
        float[] probes = [-20f, -3f, -1f, -0.25f, -1e-6f, 0f, 1e-6f, 0.25f, 3f, 1234.5f];
        Network shape = Network.Create(NetworkArchitecture.Baseline, ActivationFunctions.ReluSoftsign, seed: 1);
        var parameters = new float[shape.Parameters.Length];
        ParameterTensor convBias = shape.Tensors.Single(t => t.Name == "conv1.bias");
        ParameterTensor denseWeight = shape.Tensors.Single(t => t.Name == "dense1.weight");
        probes.CopyTo(parameters, convBias.Offset);
        for (int k = 0; k < probes.Length; k++)
        {
            // dense1.weight is [input (y, x, channel), unit]: position 0, channel k, unit k.
            parameters[denseWeight.Offset + k * 10 + k] = 1f;
        }
        float[] blank = new float[28 * 28];

        float[] reluSoftsign = RunOnce(Network.FromParameters(NetworkArchitecture.Baseline, ActivationFunctions.ReluSoftsign, parameters), blank);
        float[] softsign = RunOnce(Network.FromParameters(NetworkArchitecture.Baseline, ActivationFunctions.Softsign, parameters), blank);

        for (int k = 0; k < probes.Length; k++)
        {
            // Bitwise: the composite must add exact zeros, not approximate the piecewise function.
            float expected = probes[k] >= 0 ? probes[k] : softsign[k];
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(reluSoftsign[k]));
        }
        Assert.Equal(-20f / 21f, reluSoftsign[0], 1e-6f);

        // And the managed network computes the same function.
        Network managed = Network.FromParameters(NetworkArchitecture.Baseline, ActivationFunctions.ReluSoftsign, parameters);
        NetworkWorkspace workspace = managed.CreateWorkspace(1);
        managed.Forward(blank, 1, workspace);
        for (int k = 0; k < probes.Length; k++)
        {
            Assert.Equal(reluSoftsign[k], workspace.Logits[k], Math.Abs(reluSoftsign[k]) * 1e-6f);
        }
    }

    [Theory]
    [InlineData("baseline", new long[] { 20, 1, 1 })]
    [InlineData("enhanced", new long[] { 16, 1, 1 }, new long[] { 32, 1, 1 }, new long[] { 128 })]
    public void PRelu_WritesEachUnitsLearnedSlope_InTheShapeOnnxBroadcastingNeeds(string architecture, params long[][] shapes)
    {
        Network network = RandomNetwork(NetworkArchitecture.Get(architecture), ActivationFunctions.PRelu, seed: 12);

        GraphProto graph = ModelProto.Parser.ParseFrom(NetworkOnnxExporter.Export(network, NoMetadata)).Graph;

        // [C, 1, 1] against a feature map [N, C, H, W]; [units] against a fully connected layer's [N, units].
        ParameterTensor[] slopes = [.. network.Tensors.Where(t => t.Name.EndsWith(".slope", StringComparison.Ordinal))];
        Assert.Equal(shapes.Length, slopes.Length);
        for (int i = 0; i < slopes.Length; i++)
        {
            TensorProto tensor = Assert.Single(graph.Initializer, t => t.Name == slopes[i].Name);
            Assert.Equal(shapes[i], tensor.Dims);
            float[] written = [.. Enumerable.Range(0, slopes[i].Length).Select(k => BinaryPrimitives.ReadSingleLittleEndian(tensor.RawData.Span[(k * 4)..]))];
            Assert.Equal(network.Parameters.AsSpan(slopes[i].Offset, slopes[i].Length).ToArray(), written);
            NodeProto prelu = Assert.Single(graph.Node, n => n.Input.Contains(slopes[i].Name));
            Assert.Equal("PRelu", prelu.OpType);
        }
    }

    [Fact]
    public void Selu_WritesItsConstantsAsTheOperatorsAttributes()
    {
        GraphProto graph = ModelProto.Parser.ParseFrom(NetworkOnnxExporter.Export(Network.Create(NetworkArchitecture.Baseline, ActivationFunctions.Selu, seed: 1), NoMetadata)).Graph;

        NodeProto selu = Assert.Single(graph.Node, n => n.OpType == "Selu");
        // The floats nearest the paper's α and λ, which are also the operator's defaults.
        Assert.Equal(1.67326319217681884765625f, selu.Attribute.Single(a => a.Name == "alpha").F);
        Assert.Equal(1.05070102214813232421875f, selu.Attribute.Single(a => a.Name == "gamma").F);
    }

    [Fact]
    public void LayerWithoutAnOnnxForm_ThrowsNamingIt()
    {
        Network network = Network.Create(NegateArchitecture, ActivationFunctions.Relu, seed: 1);

        var error = Assert.Throws<ArgumentException>(() => NetworkOnnxExporter.Export(network, NoMetadata));

        Assert.Contains("negate", error.Message);
    }

    [Fact]
    public void Export_IsDeterministic_AndTheFileHelperWritesTheSameBytes()
    {
        Network network = RandomNetwork(NetworkArchitecture.Enhanced, ActivationFunctions.LeakyRelu, seed: 9);
        var metadata = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" };
        byte[] first = NetworkOnnxExporter.Export(network, metadata);
        byte[] second = NetworkOnnxExporter.Export(
            Network.FromParameters(NetworkArchitecture.Enhanced, ActivationFunctions.LeakyRelu, network.Parameters),
            new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        Assert.Equal(first, second);

        string path = Path.Combine(Path.GetTempPath(), $"network-{Guid.NewGuid():N}.onnx");
        try
        {
            NetworkOnnxExporter.ExportToFile(network, metadata, path);
            Assert.Equal(first, File.ReadAllBytes(path));

            // A network that cannot be exported leaves an existing file as it was.
            Network unexportable = Network.Create(NegateArchitecture, ActivationFunctions.Relu, seed: 1);
            Assert.Throws<ArgumentException>(() => NetworkOnnxExporter.ExportToFile(unexportable, metadata, path));
            Assert.Equal(first, File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
        Assert.ThrowsAny<ArgumentException>(() => NetworkOnnxExporter.ExportToFile(network, metadata, ""));
    }

    /// <summary>He-initialised weights and non-zero random biases and slopes (some negative), so every one's placement is checked.</summary>
    internal static Network RandomNetwork(NetworkArchitecture architecture, ActivationFunction activation, int seed)
    {
        Network network = Network.Create(architecture, activation, seed);
        var random = new Random(seed);
        foreach (ParameterTensor bias in network.Tensors.Where(t => !t.IsWeight))
        {
            foreach (ref float value in network.Parameters.AsSpan(bias.Offset, bias.Length))
            {
                value = (random.NextSingle() - 0.5f) * 0.6f;
            }
        }
        return network;
    }

    private static float[] RunOnce(Network network, float[] image)
    {
        using var session = new InferenceSession(NetworkOnnxExporter.Export(network, NoMetadata));
        return Run(session, image, batch: 1).Logits;
    }

    private static (float[] Logits, float[] Probabilities) Run(InferenceSession session, float[] images, int batch)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(images, [batch, 1, 28, 28]);
        using var runOptions = new RunOptions();
        using var results = session.Run(
            runOptions,
            [NetworkOnnxExporter.InputName],
            [input],
            [NetworkOnnxExporter.LogitsOutputName, NetworkOnnxExporter.ProbabilitiesOutputName]);
        Assert.Equal([batch, 10], results[0].GetTensorTypeAndShape().Shape);
        Assert.Equal([batch, 10], results[1].GetTensorTypeAndShape().Shape);
        return (results[0].GetTensorDataAsSpan<float>().ToArray(), results[1].GetTensorDataAsSpan<float>().ToArray());
    }

    private static readonly NetworkArchitecture NegateArchitecture = new("odd", "28×28×1 → negate → dense 10", _ =>
    {
        var negate = new NegateLayer(new FeatureShape(28, 28, 1));
        return [negate, new DenseLayer("dense1", negate.Output, 10)];
    });

    // A layer the exporter does not know.
    private sealed class NegateLayer(FeatureShape shape) : Layer("negate", shape, shape)
    {
        public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int count, object? scratch, Random? training) =>
            System.Numerics.Tensors.TensorPrimitives.Negate(input[..(count * Input.Size)], output);

        public override void Backward(
            ReadOnlySpan<float> parameters,
            ReadOnlySpan<float> input,
            ReadOnlySpan<float> output,
            ReadOnlySpan<float> outputGradient,
            Span<float> inputGradient,
            Span<float> parameterGradient,
            int count,
            object? scratch) =>
            System.Numerics.Tensors.TensorPrimitives.Negate(outputGradient[..(count * Input.Size)], inputGradient);
    }
}
