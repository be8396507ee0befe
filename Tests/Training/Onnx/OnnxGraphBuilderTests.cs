using Microsoft.ML.OnnxRuntime;
using Training.Onnx;

namespace Tests.Training.Onnx;

public class OnnxGraphBuilderTests
{
    private static readonly Dictionary<string, string> NoMetadata = [];

    [Fact]
    public void SmallGraph_RunsInOnnxRuntimeWithAttributesAndScalarInitializer()
    {
        // y = LeakyRelu(x, alpha 0.25) + 1, over a [N, 3] input.
        var graph = new OnnxGraphBuilder("tiny");
        graph.AddInput("x", OnnxDimension.Symbolic("batch"), 3);
        graph.AddInitializer("one", [], [1f]);
        graph.AddNode("LeakyRelu", ["x"], ["leaky"], OnnxAttribute.Float("alpha", 0.25f));
        graph.AddNode("Add", ["leaky", "one"], ["y"]);
        graph.AddOutput("y", OnnxDimension.Symbolic("batch"), 3);

        using var session = new InferenceSession(graph.ToModelBytes(NoMetadata));
        using var input = OrtValue.CreateTensorValueFromMemory(new float[] { -4, 0, 2, 8, -1, 0.5f }, [2, 3]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["x"], [input], ["y"]);

        Assert.Equal(new long[] { 2, 3 }, results[0].GetTensorTypeAndShape().Shape);
        Assert.Equal(new float[] { 0, 1, 3, 9, 0.75f, 1.5f }, results[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void IntsAttributeAndMatrixInitializer_ReachTheRuntime()
    {
        // Transpose with perm [1, 0] of a [2, 3] initializer: only right if ints and dims are encoded correctly.
        var graph = new OnnxGraphBuilder("transpose");
        graph.AddInitializer("m", [2, 3], [1, 2, 3, 4, 5, 6]);
        graph.AddNode("Transpose", ["m"], ["t"], OnnxAttribute.Ints("perm", 1, 0));
        graph.AddOutput("t", 3, 2);

        using var session = new InferenceSession(graph.ToModelBytes(NoMetadata));
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [], [], ["t"]);

        Assert.Equal(new long[] { 3, 2 }, results[0].GetTensorTypeAndShape().Shape);
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, results[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void AddInitializer_RejectsValueCountThatDiffersFromShape()
    {
        var graph = new OnnxGraphBuilder("g");
        var error = Assert.Throws<ArgumentException>(() => graph.AddInitializer("w", [2, 3], new float[5]));
        Assert.Contains("6", error.Message);
    }

    [Fact]
    public void AddInitializer_RejectsNegativeDimension()
    {
        var graph = new OnnxGraphBuilder("g");
        Assert.Throws<ArgumentException>(() => graph.AddInitializer("w", [-1], []));
    }

    [Fact]
    public void ValueNames_MustBeDefinedOnce()
    {
        var graph = new OnnxGraphBuilder("g");
        graph.AddInput("x", 1);
        Assert.Throws<ArgumentException>(() => graph.AddInitializer("x", [1], [0f]));
        Assert.Throws<ArgumentException>(() => graph.AddNode("Relu", ["x"], ["x"]));
    }

    [Fact]
    public void AddNode_ReturnsUniqueNames()
    {
        var graph = new OnnxGraphBuilder("g");
        graph.AddInput("x", 1);
        string first = graph.AddNode("Relu", ["x"], ["a"]);
        string second = graph.AddNode("Relu", ["a"], ["b"]);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void ToModelBytes_RequiresAnOutput()
    {
        var graph = new OnnxGraphBuilder("g");
        graph.AddInput("x", 1);
        Assert.Throws<InvalidOperationException>(() => graph.ToModelBytes(NoMetadata));
    }

    [Fact]
    public void OnnxDimension_RejectsNegativeSizeAndBlankSymbol()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxDimension.Fixed(-1));
        Assert.Throws<ArgumentException>(() => OnnxDimension.Symbolic(" "));
        Assert.Equal("N", OnnxDimension.Symbolic("N").ToString());
        Assert.Equal("28", ((OnnxDimension)28).ToString());
    }
}
