using System.Buffers;
using System.Runtime.InteropServices;

namespace Benchmarks;

/// <summary>
/// Floats in native memory aligned to 64 bytes (one cache line, one Vector512), so every contender sees
/// the same alignment and aligned non-temporal stores are legal. Native memory never moves, so pinning
/// for ONNX Runtime is free.
/// </summary>
internal sealed unsafe class AlignedBuffer : MemoryManager<float>
{
    public const int Alignment = 64;

    private float* _pointer;

    public AlignedBuffer(int length)
    {
        Length = length;
        _pointer = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(length, 1) * sizeof(float), Alignment);
        // Touch every page now so the first measured pass does not pay for page faults.
        GetSpan().Clear();
    }

    public int Length { get; }

    public float* Pointer => _pointer;

    public Span<float> Span => GetSpan();

    public override Span<float> GetSpan() => new(_pointer, Length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        NativeMemory.AlignedFree(_pointer);
        _pointer = null;
    }
}
