using BenchmarkDotNet.Attributes;
using Engine.Activations;

namespace Benchmarks;

/// <summary>
/// Forward, out of place, for every activation and size: our kernels (single- and multi-threaded), the
/// scalar loop and ONNX Runtime's operator. The TensorPrimitives compositions and the copy ceiling have
/// their own classes, because they are not one per activation.
/// </summary>
public class ActivationBenchmarks
{
    private AlignedBuffer _x = null!;
    private AlignedBuffer _y = null!;
    private ActivationFunction _activation = null!;
    private OnnxOperator _onnx = null!;

    /// <summary>The activations measured: every kernel the Engine has, unless --activations narrows them.</summary>
    public static IEnumerable<string> Activations => BenchmarkSelection.Activations;

    [ParamsSource(nameof(Activations))]
    public string Activation { get; set; } = "relu";

    [ParamsSource(nameof(Lengths))]
    public int Length { get; set; } = 1024;

    public static IEnumerable<int> Lengths => BenchmarkSelection.Lengths;

    [GlobalSetup]
    public void Setup()
    {
        _x = InputData.Create(Length);
        _y = new AlignedBuffer(Length);
        _activation = EngineKernels.Get(Activation);
        _onnx = new OnnxOperator(Activation, _x, _y);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _onnx.Dispose();
        ((IDisposable)_y).Dispose();
        ((IDisposable)_x).Dispose();
    }

    [Benchmark]
    public void OursSingleThreaded() => _activation.Forward(_x.Span, _y.Span);

    [Benchmark]
    public void OursMultiThreaded() => _activation.ForwardParallel(_x.Span, _y.Span);

    [Benchmark]
    public void ScalarLoop() => _activation.ForwardScalar(_x.Span, _y.Span);

    [Benchmark]
    public void OnnxRuntime() => _onnx.Run();
}
