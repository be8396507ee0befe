namespace Benchmarks;

/// <summary>
/// The baseline a programmer writes first: <c>for (i) y[i] = f(x[i])</c> with the textbook formula. The JIT
/// does not auto-vectorise loops, and every result is stored to memory the caller can read, so nothing is
/// eliminated.
/// </summary>
internal static class ScalarLoops
{
    public delegate void Loop(ReadOnlySpan<float> x, Span<float> y);

    /// <exception cref="ArgumentException">No scalar loop is written for <paramref name="activationId"/>.</exception>
    public static Loop For(string activationId) => activationId switch
    {
        "relu" or "noisy_relu" => Relu,
        "leaky_relu" => LeakyRelu,
        "elu" => Elu,
        "softsign" => Softsign,
        "relu_softsign" => ReluSoftsign,
        "gelu_tanh" => GeluTanh,
        "silu" => Silu,
        _ => throw new ArgumentException($"No scalar loop for '{activationId}'.", nameof(activationId)),
    };

    private static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v > 0f ? v : 0f;
        }
    }

    private static void LeakyRelu(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v > 0f ? v : 0.1f * v;
        }
    }

    private static void Elu(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v > 0f ? v : MathF.Exp(v) - 1f;
        }
    }

    private static void Softsign(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v / (1f + MathF.Abs(v));
        }
    }

    private static void ReluSoftsign(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v >= 0f ? v : v / (1f + MathF.Abs(v));
        }
    }

    private static void GeluTanh(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = 0.5f * v * (1f + MathF.Tanh(0.7978845608f * (v + 0.044715f * v * v * v)));
        }
    }

    private static void Silu(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v / (1f + MathF.Exp(-v));
        }
    }
}
