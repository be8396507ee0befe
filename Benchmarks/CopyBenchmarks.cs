using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace Benchmarks;

/// <summary>
/// The memory ceiling: streaming the same bytes from x to y with no arithmetic, three ways. An activation
/// is one load, a little arithmetic and one store per vector, so the fastest copy at a size bounds it.
/// </summary>
public unsafe class CopyBenchmarks
{
    private AlignedBuffer _x = null!;
    private AlignedBuffer _y = null!;

    [ParamsSource(nameof(Lengths))]
    public int Length { get; set; } = 1024;

    public static IEnumerable<int> Lengths => BenchmarkSelection.Lengths;

    [GlobalSetup]
    public void Setup()
    {
        _x = InputData.Create(Length);
        _y = new AlignedBuffer(Length);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ((IDisposable)_y).Dispose();
        ((IDisposable)_x).Dispose();
    }

    /// <summary>Span.CopyTo: Buffer.Memmove, which hands large blocks to the C library's memmove.</summary>
    [Benchmark]
    public void SpanCopyTo() => _x.Span.CopyTo(_y.Span);

    /// <summary>
    /// Vector512 loads and ordinary aligned stores, four vectors per step: exactly an activation kernel's
    /// memory traffic with the arithmetic taken out. Where the data fits in cache this beats both others:
    /// memmove and non-temporal stores are tuned for sizes that do not.
    /// </summary>
    [Benchmark]
    public void VectorCopy()
    {
        float* source = _x.Pointer;
        float* destination = _y.Pointer;
        nuint length = (nuint)_x.Length;
        nuint step = (nuint)Vector512<float>.Count * 4;
        nuint i = 0;
        for (; i + step <= length; i += step)
        {
            Vector512<float> a = Vector512.Load(source + i);
            Vector512<float> b = Vector512.Load(source + i + 16);
            Vector512<float> c = Vector512.Load(source + i + 32);
            Vector512<float> d = Vector512.Load(source + i + 48);
            Vector512.StoreAligned(a, destination + i);
            Vector512.StoreAligned(b, destination + i + 16);
            Vector512.StoreAligned(c, destination + i + 32);
            Vector512.StoreAligned(d, destination + i + 48);
        }
        for (; i < length; i++)
        {
            destination[i] = source[i];
        }
    }

    /// <summary>
    /// Vector512 loads and aligned non-temporal stores, four vectors per step: the stores bypass the cache,
    /// so no read-for-ownership of the destination, which is what costs a normal store a third stream.
    /// </summary>
    [Benchmark]
    public void NonTemporalCopy()
    {
        float* source = _x.Pointer;
        float* destination = _y.Pointer;
        nuint length = (nuint)_x.Length;
        nuint step = (nuint)Vector512<float>.Count * 4;
        nuint i = 0;
        for (; i + step <= length; i += step)
        {
            Vector512<float> a = Vector512.Load(source + i);
            Vector512<float> b = Vector512.Load(source + i + 16);
            Vector512<float> c = Vector512.Load(source + i + 32);
            Vector512<float> d = Vector512.Load(source + i + 48);
            Vector512.StoreAlignedNonTemporal(a, destination + i);
            Vector512.StoreAlignedNonTemporal(b, destination + i + 16);
            Vector512.StoreAlignedNonTemporal(c, destination + i + 32);
            Vector512.StoreAlignedNonTemporal(d, destination + i + 48);
        }
        for (; i < length; i++)
        {
            destination[i] = source[i];
        }
        // Non-temporal stores are weakly ordered; fence so the copy is complete when we return.
        Sse.StoreFence();
    }
}
