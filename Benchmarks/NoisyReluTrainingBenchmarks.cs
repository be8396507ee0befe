using BenchmarkDotNet.Attributes;
using Engine.Activations;

namespace Benchmarks;

/// <summary>
/// Noisy ReLU's training forward pass: copy x to y, add the noise in place, then ReLU in place. Nothing else
/// offers this, so it is reported against ReLU's inference kernel.
/// </summary>
public class NoisyReluTrainingBenchmarks
{
    private AlignedBuffer _x = null!;
    private AlignedBuffer _y = null!;
    private Random _random = null!;

    [ParamsSource(nameof(Lengths))]
    public int Length { get; set; } = 1024;

    public static IEnumerable<int> Lengths => BenchmarkSelection.Lengths;

    [GlobalSetup]
    public void Setup()
    {
        _x = InputData.Create(Length);
        _y = new AlignedBuffer(Length);
        _random = new Random(7);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ((IDisposable)_y).Dispose();
        ((IDisposable)_x).Dispose();
    }

    [Benchmark]
    public void OursTraining()
    {
        Span<float> y = _y.Span;
        _x.Span.CopyTo(y);
        ActivationFunctions.NoisyRelu.ApplyTrainingNoise(y, _random);
        ActivationFunctions.NoisyRelu.Forward(y, y);
    }
}
