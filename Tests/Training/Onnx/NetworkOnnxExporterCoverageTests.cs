using Engine.Activations;
using Engine.Networks;
using Onnx;
using Training.Onnx;

namespace Tests.Training.Onnx;

/// <summary>The exporter, the importer and the registry of activations must not drift apart.</summary>
public sealed class NetworkOnnxExporterCoverageTests
{
    [Fact]
    public void Every_activation_of_the_registry_can_be_exported_and_nothing_else_is_claimed()
    {
        Assert.Equal(ActivationFunctions.Ids, NetworkOnnxExporter.ActivationIds);
    }

    [Fact]
    public void Activations_share_an_onnx_form_only_where_they_differ_only_while_training()
    {
        // A graph cannot tell them apart, so the importer relies on the model's metadata for these alone.
        string[][] shared = [.. ActivationFunctions.All
            .GroupBy(a => NetworkOnnxExporter.DescribeActivation(a).Description)
            .Where(g => g.Count() > 1)
            .Select(g => g.Select(a => a.Id).ToArray())];
        Assert.Equal([["relu", "noisy_relu"]], shared);
    }

    public static TheoryData<string, string[]> Operators() => new()
    {
        { "relu", ["Relu"] },
        { "leaky_relu", ["LeakyRelu"] },
        { "elu", ["Elu"] },
        { "noisy_relu", ["Relu"] },
        { "softsign", ["Softsign"] },
        { "relu_softsign", ["Relu", "Min", "Softsign", "Add"] },
        { "gelu_tanh", ["Mul", "Mul", "Mul", "Add", "Mul", "Tanh", "Add", "Mul", "Mul"] },
        { "silu", ["Sigmoid", "Mul"] },
        { "prelu", ["PRelu"] },
        { "selu", ["Selu"] },
    };

    [Theory]
    [MemberData(nameof(Operators))]
    public void Each_activation_is_written_with_standard_opset_17_operators(string id, string[] operators)
    {
        ActivationFunction activation = ActivationFunctions.Get(id);
        ModelProto model = ModelProto.Parser.ParseFrom(NetworkOnnxExporter.Export(Network.Create(NetworkArchitecture.Baseline, activation, seed: 1), new Dictionary<string, string>()));

        // Baseline: conv, the activation's nodes, max-pool, flatten, dense, softmax.
        Assert.Equal(["Conv", .. operators, "MaxPool", "Flatten", "Gemm", "Softmax"], model.Graph.Node.Select(n => n.OpType));
        Assert.All(model.Graph.Node, n => Assert.Equal("", n.Domain));
        Assert.Equal(17, Assert.Single(model.OpsetImport).Version);
        Assert.Equal(operators.Length, NetworkOnnxExporter.DescribeActivation(activation).Nodes);
    }
}
