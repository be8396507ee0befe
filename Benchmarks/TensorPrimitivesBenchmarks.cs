using BenchmarkDotNet.Attributes;

namespace Benchmarks;

/// <summary>Every <see cref="TensorPrimitivesComposition"/> at every size; the report keeps each activation's fastest.</summary>
public class TensorPrimitivesBenchmarks
{
    private AlignedBuffer _x = null!;
    private AlignedBuffer _y = null!;
    private AlignedBuffer _scratch = null!;
    private TensorPrimitivesComposition.Kernel _kernel = null!;

    public static IEnumerable<string> Compositions => BenchmarkSelection.Compositions;

    [ParamsSource(nameof(Compositions))]
    public string Composition { get; set; } = "relu.max";

    [ParamsSource(nameof(Lengths))]
    public int Length { get; set; } = 1024;

    public static IEnumerable<int> Lengths => BenchmarkSelection.Lengths;

    [GlobalSetup]
    public void Setup()
    {
        _x = InputData.Create(Length);
        _y = new AlignedBuffer(Length);
        _scratch = new AlignedBuffer(Length);
        _kernel = TensorPrimitivesComposition.All.Single(c => c.Id == Composition).Run;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ((IDisposable)_scratch).Dispose();
        ((IDisposable)_y).Dispose();
        ((IDisposable)_x).Dispose();
    }

    [Benchmark]
    public void TensorPrimitives() => _kernel(_x.Span, _y.Span, _scratch.Span);
}
