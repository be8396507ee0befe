using System.Text.Json;
using Engine.Activations;
using Engine.Networks;
using Engine.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Tests.Training.Onnx;
using Tests.Training.Pipeline;
using Training.Onnx;
using Training.Pipeline;
using Xunit.Abstractions;

namespace Tests.Engine.Onnx;

/// <summary>
/// The importer against the exporter (a round trip must give back every parameter bit for bit), against the
/// committed models run by ONNX Runtime, and against graphs it must refuse with a reason.
/// </summary>
public class OnnxNetworkImporterTests(ITestOutputHelper output)
{
    private const int DigitCount = 200;
    private const int RandomImageCount = 100;
    private const int Pixels = NetworkArchitecture.ImageSide * NetworkArchitecture.ImageSide;

    public static TheoryData<string, string> ArchitecturesAndActivations() => NetworkOnnxExporterTests.ArchitecturesAndActivations();

    public static TheoryData<string> CommittedModels()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(ModelsDirectory, "*.onnx").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(path));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ArchitecturesAndActivations))]
    public void RoundTrip_GivesBackTheArchitectureActivationAndEveryParameterBitForBit(string architecture, string activationId)
    {
        Network network = NetworkOnnxExporterTests.RandomNetwork(NetworkArchitecture.Get(architecture), ActivationFunctions.Get(activationId), seed: 41);
        var metadata = new Dictionary<string, string> { [OnnxNetworkImporter.ActivationMetadataKey] = activationId };

        Network imported = OnnxNetworkImporter.Import(NetworkOnnxExporter.Export(network, metadata));

        Assert.Same(network.Architecture, imported.Architecture);
        Assert.Equal(activationId, imported.Activation.Id);
        Assert.Equal(Bits(network.Parameters), Bits(imported.Parameters));
    }

    [Fact]
    public void PlainRelu_IsNoisyReluOnlyWhenTheMetadataSaysSo()
    {
        Network network = NetworkOnnxExporterTests.RandomNetwork(NetworkArchitecture.Baseline, ActivationFunctions.NoisyRelu, seed: 2);

        Network withoutMetadata = OnnxNetworkImporter.Import(NetworkOnnxExporter.Export(network, new Dictionary<string, string>()));
        Network labelledElu = OnnxNetworkImporter.Import(NetworkOnnxExporter.Export(network, new Dictionary<string, string> { ["activation"] = "elu" }));

        // The graph decides: a Relu graph labelled elu is still relu.
        Assert.Equal("relu", withoutMetadata.Activation.Id);
        Assert.Equal("relu", labelledElu.Activation.Id);
        Assert.Equal(Bits(network.Parameters), Bits(withoutMetadata.Parameters));
    }

    [Fact]
    public void FloatDataInitializers_ReadLikeRawData()
    {
        Network network = NetworkOnnxExporterTests.RandomNetwork(NetworkArchitecture.Enhanced, ActivationFunctions.ReluSoftsign, seed: 8);
        ModelProto model = Exported(network);
        foreach (TensorProto tensor in model.Graph.Initializer)
        {
            float[] values = [.. Enumerable.Range(0, tensor.RawData.Length / 4).Select(i => BitConverter.ToSingle(tensor.RawData.Span[(i * 4)..]))];
            tensor.RawData = ByteString.Empty;
            tensor.FloatData.AddRange(values);
        }

        Network imported = OnnxNetworkImporter.Import(model.ToByteArray());

        Assert.Equal(Bits(network.Parameters), Bits(imported.Parameters));
    }

    [Fact]
    public void ImportFromAFile_ReadsTheSameNetwork()
    {
        Network network = NetworkOnnxExporterTests.RandomNetwork(NetworkArchitecture.Baseline, ActivationFunctions.Elu, seed: 4);
        string path = Path.Combine(Path.GetTempPath(), $"import-{Guid.NewGuid():N}.onnx");
        try
        {
            NetworkOnnxExporter.ExportToFile(network, new Dictionary<string, string>(), path);

            Network imported = OnnxNetworkImporter.Import(path);

            Assert.Equal("elu", imported.Activation.Id);
            Assert.Equal(Bits(network.Parameters), Bits(imported.Parameters));
        }
        finally
        {
            File.Delete(path);
        }
        Assert.ThrowsAny<ArgumentException>(() => OnnxNetworkImporter.Import(""));
    }

    [Theory]
    [MemberData(nameof(CommittedModels))]
    public void CommittedModel_ImportsAsItsCardSays_AndAgreesWithOnnxRuntime(string name)
    {
        string path = Path.Combine(ModelsDirectory, name + ".onnx");
        using JsonDocument card = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModelsDirectory, name + ".json")));

        Network network = OnnxNetworkImporter.Import(path);

        Assert.Equal(card.RootElement.GetProperty("architecture").GetString(), network.Architecture.Name);
        Assert.Equal(card.RootElement.GetProperty("activation").GetString(), network.Activation.Id);

        float[] images = Images();
        int count = images.Length / Pixels;
        var expected = new float[count * NetworkArchitecture.Classes];
        network.Classify(images, expected);
        float[] actual = RunOnnxRuntime(path, images, count);

        double worst = 0;
        for (int n = 0; n < count; n++)
        {
            ReadOnlySpan<float> ours = expected.AsSpan(n * 10, 10), theirs = actual.AsSpan(n * 10, 10);
            for (int k = 0; k < 10; k++)
            {
                worst = Math.Max(worst, Math.Abs(ours[k] - theirs[k]));
            }
            Assert.True(ours.IndexOf(TensorMax(ours)) == theirs.IndexOf(TensorMax(theirs)), $"image {n}: the classes differ");
        }
        output.WriteLine($"{name}: {count} images, largest |Δp| against ONNX Runtime {worst:E2}");
        Assert.True(worst <= 1e-4, $"largest probability difference {worst}");
    }

    [Fact]
    public void UnknownActivation_IsRefusedNamingTheNode()
    {
        ModelProto model = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        NodeProto relu = model.Graph.Node.Single(n => n.OpType == "Relu");
        relu.OpType = "Tanh";

        AssertRefused(model, $"node {model.Graph.Node.IndexOf(relu)} 'Tanh' is not an activation the managed backend runs");
    }

    [Fact]
    public void UnknownOperator_ElsewhereIsRefused()
    {
        ModelProto model = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        model.Graph.Node.Single(n => n.OpType == "MaxPool").OpType = "AveragePool";

        AssertRefused(model, "'AveragePool' is not an operator the managed backend runs");
    }

    [Fact]
    public void OperatorOfAnotherDomain_IsRefused()
    {
        ModelProto model = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        model.Graph.Node.Single(n => n.OpType == "Relu").Domain = "com.microsoft";

        AssertRefused(model, "domain 'com.microsoft'");
    }

    [Fact]
    public void ActivationsThatDiffer_AreRefused()
    {
        ModelProto model = Exported(NetworkArchitecture.Enhanced, ActivationFunctions.Relu);
        model.Graph.Node.Last(n => n.OpType == "Relu").OpType = "Softsign";

        AssertRefused(model, "computes softsign but node 1 computes relu");
    }

    public static TheoryData<string, string, string, string> WrongAttributes() => new()
    {
        { "Conv", "strides", "ints:2,2", "strides is [2,2], not [1,1]" },
        { "Conv", "pads", "ints:0,1,0,1", "pads [0,1,0,1]" },
        { "Conv", "kernel_shape", "ints:3,3", "kernel_shape is [3,3], not [5,5]" },
        { "Conv", "group", "int:2", "group is 2, not 1" },
        { "Conv", "dilations", "ints:2,2", "dilations is [2,2], not [1,1]" },
        { "MaxPool", "kernel_shape", "ints:3,3", "kernel_shape is [3,3], not [2,2]" },
        { "MaxPool", "strides", "ints:1,1", "strides is [1,1], not [2,2]" },
        { "MaxPool", "ceil_mode", "int:1", "ceil_mode is 1, not 0" },
        { "LRN", "size", "int:3", "LRN(size 3, alpha 0.0001, beta 0.75, bias 1) where the enhanced network has LRN(size 5" },
        { "LRN", "alpha", "float:0.001", "alpha 0.001" },
        { "LRN", "beta", "float:0.5", "beta 0.5" },
        { "LRN", "bias", "float:2", "bias 2)" },
        { "Gemm", "transB", "int:0", "transB is 0, not 1" },
        { "Gemm", "alpha", "float:2", "alpha is 2, not 1" },
        { "Softmax", "axis", "int:0", "axis is 0, not the class axis 1" },
        { "Flatten", "axis", "int:2", "axis is 2, not 1" },
        { "Relu", "alpha", "float:1", "has attribute 'alpha', which the importer does not read" },
        { "Conv", "strides", "int:1", "attribute 'strides' is of type Int, not Ints" },
    };

    [Theory]
    [MemberData(nameof(WrongAttributes))]
    public void WrongAttribute_IsRefused(string opType, string attribute, string value, string reason)
    {
        ModelProto model = Exported(NetworkArchitecture.Enhanced, ActivationFunctions.Relu);
        NodeProto node = model.Graph.Node.First(n => n.OpType == opType);
        SetAttribute(node, attribute, value);

        AssertRefused(model, reason);
    }

    [Theory]
    [InlineData("leaky_relu", "LeakyRelu", "float:0.2", "alpha is 0.2, not 0.1")]
    [InlineData("leaky_relu", "LeakyRelu", null, "alpha is 0.01, not 0.1")]
    [InlineData("elu", "Elu", "float:0.5", "alpha is 0.5, not 1")]
    public void WrongActivationSlope_IsRefused(string activationId, string opType, string? alpha, string reason)
    {
        ModelProto model = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Get(activationId));
        NodeProto node = model.Graph.Node.Single(n => n.OpType == opType);
        node.Attribute.Clear();
        if (alpha is not null)
        {
            SetAttribute(node, "alpha", alpha);
        }

        AssertRefused(model, reason);
    }

    [Fact]
    public void ReluSoftsign_ClampingAtAnythingButZero_IsRefused()
    {
        ModelProto model = Exported(NetworkArchitecture.Baseline, ActivationFunctions.ReluSoftsign);
        TensorProto zero = model.Graph.Initializer.Single(t => t.Name.EndsWith(".zero", StringComparison.Ordinal));
        zero.RawData = ByteString.CopyFrom(BitConverter.GetBytes(0.5f));

        AssertRefused(model, "node 2 'Min' input 'conv1.activation.zero' is not the constant 0 of the relu_softsign subgraph");
    }

    [Fact]
    public void ReluSoftsign_WithAnotherJoin_IsRefused()
    {
        ModelProto model = Exported(NetworkArchitecture.Baseline, ActivationFunctions.ReluSoftsign);
        model.Graph.Node.Single(n => n.OpType == "Add").OpType = "Mul";

        AssertRefused(model, "value 'conv1.activation.positive' feeds node 4 'Mul' where the relu_softsign subgraph has Add");
    }

    [Fact]
    public void ASubgraphValueReadOutsideTheSubgraph_IsRefused()
    {
        ModelProto model = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Silu);
        NodeProto sigmoid = model.Graph.Node.Single(n => n.OpType == "Sigmoid");
        model.Graph.Node.Add(new NodeProto { OpType = "Relu", Input = { sigmoid.Output[0] }, Output = { "extra" } });

        AssertRefused(model, $"value '{sigmoid.Output[0]}' also feeds node 7 'Relu', outside the silu subgraph");
    }

    [Fact]
    public void CommutedInputs_AndAbsentAttributesAtTheirDefaults_ReadAsExported()
    {
        // Another writer may put Mul's and Add's inputs the other way round, and leave out attributes whose
        // defaults are the activation's constants (Selu's alpha and gamma).
        Network gelu = NetworkOnnxExporterTests.RandomNetwork(NetworkArchitecture.Enhanced, ActivationFunctions.GeluTanh, seed: 5);
        ModelProto model = Exported(gelu);
        foreach (NodeProto node in model.Graph.Node.Where(n => n.OpType is "Mul" or "Add"))
        {
            (node.Input[0], node.Input[1]) = (node.Input[1], node.Input[0]);
        }
        Network imported = OnnxNetworkImporter.Import(model.ToByteArray());
        Assert.Equal("gelu_tanh", imported.Activation.Id);
        Assert.Equal(Bits(gelu.Parameters), Bits(imported.Parameters));

        ModelProto selu = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Selu);
        selu.Graph.Node.Single(n => n.OpType == "Selu").Attribute.Clear();
        Assert.Equal("selu", OnnxNetworkImporter.Import(selu.ToByteArray()).Activation.Id);
    }

    [Fact]
    public void AnActivationsConstantOrAttribute_ThatDiffers_IsRefused()
    {
        ModelProto gelu = Exported(NetworkArchitecture.Baseline, ActivationFunctions.GeluTanh);
        TensorProto scale = gelu.Graph.Initializer.Single(t => t.Name == "conv1.activation.scale");
        scale.RawData = ByteString.CopyFrom(BitConverter.GetBytes(0.8f));
        AssertRefused(gelu, "input 'conv1.activation.scale' is not the constant 0.7978846 of the gelu_tanh subgraph");

        ModelProto selu = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Selu);
        SetAttribute(selu.Graph.Node.Single(n => n.OpType == "Selu"), "gamma", "float:1");
        AssertRefused(selu, "gamma is 1, not 1.050701");
    }

    [Theory]
    [InlineData("baseline", "conv1.activation.slope", new long[] { 20 }, "'conv1.activation.slope' has shape [20], not [20,1,1]")]
    [InlineData("enhanced", "dense1.activation.slope", new long[] { 128, 1, 1 }, "'dense1.activation.slope' has shape [128,1,1], not [128]")]
    public void APReluSlopeThatDoesNotBroadcastPerUnit_IsRefused(string architecture, string slope, long[] dims, string reason)
    {
        ModelProto model = Exported(NetworkArchitecture.Get(architecture), ActivationFunctions.PRelu);
        TensorProto tensor = model.Graph.Initializer.Single(t => t.Name == slope);
        tensor.Dims.Clear();
        tensor.Dims.AddRange(dims);

        AssertRefused(model, reason);
    }

    [Theory]
    [InlineData("conv1.bias", new long[] { 21 }, "'conv1.bias' has shape [21], not [20]")]
    [InlineData("conv1.weight", new long[] { 20, 1, 25 }, "weight 'conv1.weight' has shape [20,1,25]")]
    [InlineData("conv1.weight", new long[] { 20, 1, 5, 4 }, "weight 'conv1.weight' has shape [20,1,5,4]")]
    [InlineData("dense1.weight", new long[] { 2880, 10 }, "weight 'dense1.weight' has shape [2880,10]; expected [units,2880]")]
    [InlineData("dense1.bias", new long[] { 1, 10 }, "'dense1.bias' has shape [1,10], not [10]")]
    public void WrongInitializerShape_IsRefused(string initializer, long[] dims, string reason)
    {
        ModelProto model = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        TensorProto tensor = model.Graph.Initializer.Single(t => t.Name == initializer);
        tensor.Dims.Clear();
        tensor.Dims.AddRange(dims);

        AssertRefused(model, reason);
    }

    [Fact]
    public void FilterCountThatNoArchitectureHas_IsRefused()
    {
        // A self-consistent graph with 19 filters: every shape agrees, but no network has it.
        ModelProto model = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        TensorProto weight = model.Graph.Initializer.Single(t => t.Name == "conv1.weight");
        TensorProto bias = model.Graph.Initializer.Single(t => t.Name == "conv1.bias");
        TensorProto dense = model.Graph.Initializer.Single(t => t.Name == "dense1.weight");
        weight.Dims[0] = 19;
        weight.RawData = ByteString.CopyFrom(weight.RawData.Span[..(19 * 25 * 4)]);
        bias.Dims[0] = 19;
        bias.RawData = ByteString.CopyFrom(bias.RawData.Span[..(19 * 4)]);
        dense.Dims[1] = 12 * 12 * 19;
        dense.RawData = ByteString.CopyFrom(new byte[10 * 12 * 12 * 19 * 4]);

        AssertRefused(model, "node 0 is conv 5×5×19 (pad 0) of 28×28×1 where the baseline network has conv 5×5×20 (pad 0) of 28×28×1");
    }

    [Fact]
    public void InitializerData_ThatIsShortWrongTypedOrExternal_IsRefused()
    {
        ModelProto shortData = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        TensorProto bias = shortData.Graph.Initializer.Single(t => t.Name == "conv1.bias");
        bias.RawData = ByteString.CopyFrom(bias.RawData.Span[..^1]);
        AssertRefused(shortData, "'conv1.bias' has 79 bytes of data for 20 floats");

        ModelProto doubles = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        doubles.Graph.Initializer.Single(t => t.Name == "conv1.bias").DataType = (int)TensorProto.Types.DataType.Double;
        AssertRefused(doubles, "'conv1.bias' holds double, not float");

        ModelProto external = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        TensorProto weight = external.Graph.Initializer.Single(t => t.Name == "conv1.weight");
        weight.DataLocation = TensorProto.Types.DataLocation.External;
        AssertRefused(external, "stored outside the model file");

        // 90,000 units would be a gigabyte of weights; the 115,200 bytes there are must be noticed first.
        ModelProto huge = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        huge.Graph.Initializer.Single(t => t.Name == "dense1.weight").Dims[0] = 90_000;
        AssertRefused(huge, "'dense1.weight' has 115200 bytes of data for 259200000 floats");

        ModelProto computed = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        computed.Graph.Initializer.Remove(computed.Graph.Initializer.Single(t => t.Name == "dense1.bias"));
        AssertRefused(computed, "input 'dense1.bias' is not an initializer");
    }

    [Theory]
    [InlineData(new long[] { 1, 3, 28, 28 }, (int)TensorProto.Types.DataType.Float, "has shape [N,3,28,28]; the managed networks read [N,1,28,28]")]
    [InlineData(new long[] { 1, 1, 32, 32 }, (int)TensorProto.Types.DataType.Float, "has shape [N,1,32,32]")]
    [InlineData(new long[] { 1, 784 }, (int)TensorProto.Types.DataType.Float, "has shape [N,784]")]
    [InlineData(new long[] { 1, 1, 28, 28 }, (int)TensorProto.Types.DataType.Double, "input 'image' holds double, not float")]
    public void WrongInput_IsRefused(long[] dims, int elementType, string reason)
    {
        ModelProto model = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        TypeProto.Types.Tensor input = model.Graph.Input.Single().Type.TensorType;
        input.ElemType = elementType;
        input.Shape.Dim.Clear();
        input.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        input.Shape.Dim.AddRange(dims.Skip(1).Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));

        AssertRefused(model, reason);
    }

    [Fact]
    public void GraphShape_ThatIsNotOneChainEndingInSoftmax_IsRefused()
    {
        ModelProto noSoftmax = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        noSoftmax.Graph.Node.Remove(noSoftmax.Graph.Node.Single(n => n.OpType == "Softmax"));
        AssertRefused(noSoftmax, "value 'logits' feeds no node, but the graph must end in Softmax");

        ModelProto branch = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        branch.Graph.Node.Add(new NodeProto { OpType = "Relu", Input = { "conv1.out" }, Output = { "extra" } });
        AssertRefused(branch, "value 'conv1.out' feeds 2 nodes");

        ModelProto stray = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        stray.Graph.Node.Add(new NodeProto { OpType = "Relu", Input = { "conv1.bias" }, Output = { "extra" } });
        AssertRefused(stray, "node 6 'Relu' is not on the path from the input to Softmax");

        ModelProto oldOpset = Exported(NetworkArchitecture.Baseline, ActivationFunctions.Relu);
        oldOpset.OpsetImport[0].Version = 9;
        AssertRefused(oldOpset, "the model imports opset 9; the importer reads opset 13 and later");

        ModelProto missingLayer = Exported(NetworkArchitecture.Enhanced, ActivationFunctions.Relu);
        NodeProto lrn = missingLayer.Graph.Node.Last(n => n.OpType == "LRN");
        missingLayer.Graph.Node.Single(n => n.Input.Contains(lrn.Output[0])).Input[0] = lrn.Input[0];
        missingLayer.Graph.Node.Remove(lrn);
        AssertRefused(missingLayer, "where the enhanced network has LRN(size 5");
    }

    [Fact]
    public void EmptyTruncatedAndCorruptBytes_AreRefusedWithoutThrowing()
    {
        byte[] model = NetworkOnnxExporter.Export(
            NetworkOnnxExporterTests.RandomNetwork(NetworkArchitecture.Enhanced, ActivationFunctions.Relu, seed: 3), new Dictionary<string, string>());

        Assert.False(OnnxNetworkImporter.TryImport([], out _, out string? empty));
        Assert.Equal("the file is empty", empty);

        // Without metadata the opset import comes last, so every strict prefix loses part of the model.
        var lengths = Enumerable.Range(0, 64).Select(i => (int)((long)i * model.Length / 64)).Concat([1, 2, model.Length - 2, model.Length - 1]);
        foreach (int length in lengths)
        {
            Assert.False(OnnxNetworkImporter.TryImport(model.AsSpan(0, length), out Network? network, out string? reason), $"prefix of {length} bytes");
            Assert.Null(network);
            Assert.False(string.IsNullOrWhiteSpace(reason));
        }

        var random = new Random(12);
        for (int trial = 0; trial < 50; trial++)
        {
            byte[] garbage = new byte[random.Next(1, 4096)];
            random.NextBytes(garbage);
            Assert.False(OnnxNetworkImporter.TryImport(garbage, out _, out string? reason));
            Assert.False(string.IsNullOrWhiteSpace(reason));
        }

        byte[] text = "this is not a model"u8.ToArray();
        Assert.False(OnnxNetworkImporter.TryImport(text, out _, out string? notAModel));
        Assert.NotNull(notAModel);
        Assert.StartsWith("the bytes are not an ONNX model", notAModel);
        var error = Assert.Throws<InvalidDataException>(() => OnnxNetworkImporter.Import(text));
        Assert.Contains(notAModel, error.Message);
    }

    private static void AssertRefused(ModelProto model, string reasonPart)
    {
        byte[] bytes = model.ToByteArray();
        Assert.False(OnnxNetworkImporter.TryImport(bytes, out Network? network, out string? reason));
        Assert.Null(network);
        Assert.NotNull(reason);
        Assert.Contains(reasonPart, reason);
        var error = Assert.Throws<InvalidDataException>(() => OnnxNetworkImporter.Import(bytes));
        Assert.Contains(reason, error.Message);
    }

    private static void SetAttribute(NodeProto node, string name, string value)
    {
        AttributeProto? existing = node.Attribute.FirstOrDefault(a => a.Name == name);
        if (existing is not null)
        {
            node.Attribute.Remove(existing);
        }
        string[] parts = value.Split(':');
        var attribute = new AttributeProto { Name = name };
        switch (parts[0])
        {
            case "int":
                attribute.Type = AttributeProto.Types.AttributeType.Int;
                attribute.I = long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "ints":
                attribute.Type = AttributeProto.Types.AttributeType.Ints;
                attribute.Ints.AddRange(parts[1].Split(',').Select(s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture)));
                break;
            default:
                attribute.Type = AttributeProto.Types.AttributeType.Float;
                attribute.F = float.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                break;
        }
        node.Attribute.Add(attribute);
    }

    private static ModelProto Exported(NetworkArchitecture architecture, ActivationFunction activation) =>
        Exported(NetworkOnnxExporterTests.RandomNetwork(architecture, activation, seed: 6));

    private static ModelProto Exported(Network network) =>
        ModelProto.Parser.ParseFrom(NetworkOnnxExporter.Export(network, new Dictionary<string, string>()));

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    private static float TensorMax(ReadOnlySpan<float> values) => System.Numerics.Tensors.TensorPrimitives.Max(values);

    /// <summary>Real test digits, then uniformly random [0, 1] images that look like nothing the models were trained on.</summary>
    private static float[] Images()
    {
        var images = new float[(DigitCount + RandomImageCount) * Pixels];
        MnistSubsets.Test.Images.AsSpan(0, DigitCount * Pixels).CopyTo(images);
        var random = new Random(99);
        for (int i = DigitCount * Pixels; i < images.Length; i++)
        {
            images[i] = random.NextSingle();
        }
        return images;
    }

    private static float[] RunOnnxRuntime(string path, float[] images, int count)
    {
        using var session = new InferenceSession(path);
        using var input = OrtValue.CreateTensorValueFromMemory(images, [count, 1, NetworkArchitecture.ImageSide, NetworkArchitecture.ImageSide]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [NetworkOnnxExporter.InputName], [input], [NetworkOnnxExporter.ProbabilitiesOutputName]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static string ModelsDirectory
    {
        get
        {
            for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Service.sln")))
                {
                    return Path.Combine(directory.FullName, "models");
                }
            }
            throw new InvalidOperationException($"No Service.sln above '{AppContext.BaseDirectory}'.");
        }
    }
}
