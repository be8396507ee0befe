namespace Benchmarks;

/// <summary>The input every contender gets: pre-activation-like values, half of them negative.</summary>
internal static class InputData
{
    /// <summary>The element counts measured: 4 KiB, 256 KiB, 4 MiB and 64 MiB of float32.</summary>
    public static readonly int[] Lengths = [1 << 10, 1 << 16, 1 << 20, 1 << 24];

    /// <summary>A new aligned buffer of uniform values in [−4, 4), the same for every run (fixed seed).</summary>
    public static AlignedBuffer Create(int length)
    {
        var buffer = new AlignedBuffer(length);
        var random = new Random(20240611);
        Span<float> span = buffer.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = 8f * random.NextSingle() - 4f;
        }
        return buffer;
    }

    /// <summary>"4 KiB", "64 MiB": the size of <paramref name="length"/> floats.</summary>
    public static string Describe(int length)
    {
        long bytes = (long)length * sizeof(float);
        return bytes >= 1 << 20 ? $"{bytes >> 20} MiB" : $"{bytes >> 10} KiB";
    }
}
