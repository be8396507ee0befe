using System.Globalization;
using BenchmarkDotNet.Attributes;
using Engine.Numerics;

namespace Benchmarks;

/// <summary>
/// <see cref="Gemm.Multiply"/> at the network's shapes against the loop it replaced (one
/// <c>TensorPrimitives.MultiplyAdd</c> per element of A), single-threaded. A shape is "m×n×k", with "ᵀ" when
/// A is read transposed (row stride 1, column stride m), as the weight gradients read it.
/// </summary>
public class GemmBenchmarks
{
    private float[] _a = null!;
    private float[] _b = null!;
    private float[] _c = null!;
    private int _m;
    private int _n;
    private int _k;
    private int _aRowStride;
    private int _aColStride;

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "196×32×400";

    public static IEnumerable<string> Shapes =>
    [
        // Convolution forward, weight gradient (A transposed) and input gradient.
        "784×16×25", "196×32×400", "576×20×25",
        "25×16×784ᵀ", "400×32×196ᵀ", "25×20×576ᵀ",
        "196×400×32",
        // Dense layers at a batch of 64: forward, weight gradient, input gradient, output layer.
        "64×128×1568", "1568×128×64ᵀ", "64×1568×128", "64×10×128",
    ];

    [GlobalSetup]
    public void Setup()
    {
        (_m, _n, _k, bool transposed) = Parse(Shape);
        (_aRowStride, _aColStride) = transposed ? (1, _m) : (_k, 1);
        var random = new Random(11);
        _a = [.. Enumerable.Range(0, _m * _k).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        _b = [.. Enumerable.Range(0, _k * _n).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        _c = new float[_m * _n];
    }

    [Benchmark]
    public void Ours() => Gemm.Multiply(_m, _n, _k, _a, _aRowStride, _aColStride, _b, _n, _c, _n, accumulate: false);

    /// <summary>The placeholder Gemm.Multiply had before the blocked kernel: a row of C at a time, one MultiplyAdd per element of A.</summary>
    [Benchmark]
    public void Baseline()
    {
        ReadOnlySpan<float> a = _a;
        ReadOnlySpan<float> b = _b;
        Span<float> c = _c;
        for (int i = 0; i < _m; i++)
        {
            Span<float> row = c.Slice(i * _n, _n);
            row.Clear();
            for (int p = 0; p < _k; p++)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(b.Slice(p * _n, _n), a[i * _aRowStride + p * _aColStride], row, row);
            }
        }
    }

    /// <summary>Floating-point operations of one call: a multiply and an add per term.</summary>
    public static double Flops(string shape)
    {
        (int m, int n, int k, _) = Parse(shape);
        return 2.0 * m * n * k;
    }

    public static (int M, int N, int K, bool Transposed) Parse(string shape)
    {
        bool transposed = shape.EndsWith('ᵀ');
        int[] sizes = [.. shape.TrimEnd('ᵀ').Split('×').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        return (sizes[0], sizes[1], sizes[2], transposed);
    }
}
