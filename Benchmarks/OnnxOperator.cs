using Engine.Activations;
using Microsoft.ML.OnnxRuntime;
using Training.Onnx;

namespace Benchmarks;

/// <summary>
/// ONNX Runtime's own operator for an activation, on a model of just that operator (or the few nodes that
/// compose it, as the exporter writes them into a network), run single-threaded (IntraOpNumThreads =
/// InterOpNumThreads = 1) so it compares with our single-threaded kernel. Input and output are OrtValues created once over the caller's aligned buffers,
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
        _session = new InferenceSession(NetworkOnnxExporter.ExportActivation(EngineKernels.Get(activationId), x.Length), options);
        long[] shape = [x.Length];
        _input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, x.Memory, shape);
        _output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, y.Memory, shape);
        _inputValues = [_input];
        _outputValues = [_output];
    }

    /// <summary>Whether ONNX Runtime runs the activation as one operator of its own (the others are graphs of several).</summary>
    public static bool IsSingleOperator(string activationId) => NetworkOnnxExporter.DescribeActivation(EngineKernels.Get(activationId)).Nodes == 1;

    /// <summary>The graph, as text, for the report.</summary>
    public static string Describe(string activationId) => NetworkOnnxExporter.DescribeActivation(EngineKernels.Get(activationId)).Description;

    public void Run() => _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);

    public void Dispose()
    {
        _output.Dispose();
        _input.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
