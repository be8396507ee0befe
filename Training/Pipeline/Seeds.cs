namespace Training.Pipeline;

/// <summary>
/// Derives the seeds of a run's many random streams from its one seed. <see cref="HashCode.Combine{T1, T2}"/>
/// is salted per process, so it would make every run different; this mix is fixed.
/// </summary>
internal static class Seeds
{
    /// <summary>A seed for the stream named by <paramref name="parts"/>, the same in every process.</summary>
    public static int Derive(params ReadOnlySpan<int> parts)
    {
        ulong state = 0x9E3779B97F4A7C15;
        foreach (int part in parts)
        {
            state = SplitMix64(state ^ (uint)part);
        }
        return (int)(state >> 33);
    }

    // SplitMix64's finaliser (Steele, Lea & Flood 2014): every input bit affects every output bit.
    private static ulong SplitMix64(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
