using Engine.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Benchmarks;

/// <summary>
/// ONNX Runtime's own operator for an activation, on a model of just that operator (or the few nodes that
/// compose it), run single-threaded (IntraOpNumThreads = InterOpNumThreads = 1) so it compares with our
/// single-threaded kernel. Input and output are OrtValues created once over the caller's aligned buffers,
/// and <see cref="Run"/> uses the overload that writes into the preallocated output.
/// </summary>
internal sealed class OnnxOperator : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _input;
    private readonly OrtValue _output;
    private readonly string[] _inputNames = ["x"];
    private readonly string[] _outputNames = ["y"];
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;

    public OnnxOperator(string activationId, AlignedBuffer x, AlignedBuffer y)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(BuildModel(activationId, x.Length), options);
        long[] shape = [x.Length];
        _input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, x.Memory, shape);
        _output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, y.Memory, shape);
        _inputValues = [_input];
        _outputValues = [_output];
    }

    /// <summary>Whether ONNX Runtime runs the activation as one operator of its own (the others are graphs of several).</summary>
    public static bool IsSingleOperator(string activationId) => activationId is "relu" or "noisy_relu" or "leaky_relu" or "elu" or "softsign";

    /// <summary>The graph, as text, for the report.</summary>
    public static string Describe(string activationId) => activationId switch
    {
        "relu" or "noisy_relu" => "Relu",
        "leaky_relu" => "LeakyRelu(alpha = 0.1)",
        "elu" => "Elu(alpha = 1)",
        "softsign" => "Softsign",
        "relu_softsign" => "Add(Relu(x), Softsign(Min(x, 0))) — 4 nodes",
        "gelu_tanh" => "0.5·x·(1 + Tanh(√(2/π)·(x + 0.044715·x³))) — 9 Mul/Add/Tanh nodes (opset 17 has no Gelu)",
        "silu" => "Mul(x, Sigmoid(x)) — 2 nodes",
        _ => "—",
    };

    public void Run() => _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);

    public void Dispose()
    {
        _output.Dispose();
        _input.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private static byte[] BuildModel(string activationId, int length)
    {
        var graph = new OnnxGraphBuilder($"{activationId}_operator");
        graph.AddInput("x", length);
        graph.AddOutput("y", length);
        switch (activationId)
        {
            case "relu" or "noisy_relu":
                graph.AddNode("Relu", ["x"], ["y"]);
                break;
            case "leaky_relu":
                graph.AddNode("LeakyRelu", ["x"], ["y"], OnnxAttribute.Float("alpha", 0.1f));
                break;
            case "elu":
                graph.AddNode("Elu", ["x"], ["y"], OnnxAttribute.Float("alpha", 1f));
                break;
            case "softsign":
                graph.AddNode("Softsign", ["x"], ["y"]);
                break;
            case "relu_softsign":
                graph.AddInitializer("zero", [], [0f]);
                graph.AddNode("Relu", ["x"], ["positive"]);
                graph.AddNode("Min", ["x", "zero"], ["negative"]);
                graph.AddNode("Softsign", ["negative"], ["squashed"]);
                graph.AddNode("Add", ["positive", "squashed"], ["y"]);
                break;
            case "gelu_tanh":
                // The pattern ONNX Runtime's GELU fusion looks for; whether it fuses is its business.
                graph.AddInitializer("cubic", [], [0.044715f]);
                graph.AddInitializer("scale", [], [0.7978845608f]);
                graph.AddInitializer("one", [], [1f]);
                graph.AddInitializer("half", [], [0.5f]);
                graph.AddNode("Mul", ["x", "x"], ["x2"]);
                graph.AddNode("Mul", ["x2", "x"], ["x3"]);
                graph.AddNode("Mul", ["x3", "cubic"], ["cx3"]);
                graph.AddNode("Add", ["x", "cx3"], ["inner"]);
                graph.AddNode("Mul", ["inner", "scale"], ["u"]);
                graph.AddNode("Tanh", ["u"], ["t"]);
                graph.AddNode("Add", ["t", "one"], ["onePlusT"]);
                graph.AddNode("Mul", ["x", "onePlusT"], ["xOnePlusT"]);
                graph.AddNode("Mul", ["xOnePlusT", "half"], ["y"]);
                break;
            case "silu":
                graph.AddNode("Sigmoid", ["x"], ["gate"]);
                graph.AddNode("Mul", ["x", "gate"], ["y"]);
                break;
            default:
                throw new ArgumentException($"No ONNX operator model for '{activationId}'.", nameof(activationId));
        }
        return graph.ToModelBytes(new Dictionary<string, string>());
    }
}
